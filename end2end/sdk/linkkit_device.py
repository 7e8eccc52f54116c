"""Alibaba's own Python device SDK (aliyun-iot-linkkit) against ota-server's MQTT broker.

One device goes through a whole firmware update the way a device on Alibaba's IoT Platform
does. Through the API (plain form-encoded RPC calls): a new product and device, an uploaded
package, a package that needs no verification. Through linkkit: the device logs in with its
DeviceSecret (linkkit's own client ID, user name and HMAC-SHA1 password), subscribes to the
OTA push and pull-reply topics, reports its version, asks for a pending update (none yet),
receives the static batch's push, downloads and checks the package with linkkit's helper,
reports progress and then its new version. The API must meanwhile show the device ONLINE,
its task IN_PROGRESS and then SUCCEEDED, and the device OFFLINE once it disconnected.
Every API call is signed (signature v1, HMAC-SHA1, as aliyun-python-sdk-core signs) with the
admin access key in ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.

Linkkit has no progress call: progress goes out with its publish_topic on
/ota/device/progress/{pk}/{dn}. Its ota_report_version and query_ota_firmware compare paho's
MQTTMessageInfo with 0 and so answer OTA_PUB_FAILED even when they published: their return
values are ignored, and the API's view is checked instead.

Usage: ALIBABA_CLOUD_ACCESS_KEY_ID=… ALIBABA_CLOUD_ACCESS_KEY_SECRET=… \
       python linkkit_device.py HTTP_HOST:PORT MQTT_HOST:PORT
Prints one line per step, "ok: …" or "FAILED: …", stops at the first failure and exits
non-zero; on a failure the SDK's (linkkit and paho) log is printed to stderr.
"""

import base64
import collections
import hashlib
import hmac
import json
import logging
import os
import queue
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from linkkit import linkkit

if len(sys.argv) != 3:
    sys.exit("usage: python linkkit_device.py HTTP_HOST:PORT MQTT_HOST:PORT")
# OTA_CA_FILE set: the server speaks https and MQTT over TLS, with a certificate this CA signed.
CA_FILE = os.environ.get("OTA_CA_FILE")
API = f"{'https' if CA_FILE else 'http'}://{sys.argv[1]}/"
KEY_ID = os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_ID")
KEY_SECRET = os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
if not (KEY_ID and KEY_SECRET):
    sys.exit("linkkit_device.py: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (an admin key)")
MQTT_HOST, _, MQTT_PORT = sys.argv[2].rpartition(":")
SRC_VERSION, DEST_VERSION = "1.0.0", "1.1.0"
WAIT = 15  # seconds for any one MQTT exchange
TASK_WAIT = 30  # seconds for the task to succeed once the new version is reported

passed = 0
state = {}


class Failure(Exception):
    """A step's check did not hold."""


def step(name, fn):
    """Runs one named step; the first failure ends the run."""
    global passed
    try:
        result = fn()
    except Exception as error:  # noqa: BLE001 - every failure is reported, then the run stops
        detail = str(error) if isinstance(error, Failure) else f"{type(error).__name__}: {error}"
        print(f"FAILED: {name}: {detail}", flush=True)
        dump_sdk_log()
        finish(failed=1)
    passed += 1
    print(f"ok: {name}", flush=True)
    return result


def finish(failed):
    lk = state.get("lk")
    if lk is not None:
        disconnect(lk)
    print(f"{passed} passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


def expect(condition, message):
    if not condition:
        raise Failure(message)


def wait_until(what, seconds, probe, interval=0.25):
    """Calls probe until it answers something truthy; fails after seconds with its last answer."""
    deadline = time.monotonic() + seconds
    while True:
        answer = probe()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {seconds} s waiting for {what} (last seen: {state.get('last')})")
        time.sleep(interval)


# ---- the API -----------------------------------------------------------------------------------


def percent(text):
    """Percent-encoded as Alibaba's signatures encode: all but A-Z a-z 0-9 - _ . ~ (a space is %20)."""
    return urllib.parse.quote(str(text), safe="")


def signed(method, params):
    """params with signature v1 added, as aliyun-python-sdk-core's rpc_signature_composer signs:
    every parameter but Signature sorted by name and encoded, then METHOD&%2F&encode(that),
    HMAC-SHA1 under the secret and "&", Base64."""
    params = {
        **params,
        "Format": "JSON",
        "AccessKeyId": KEY_ID,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": str(uuid.uuid4()),
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    canonical = "&".join(f"{percent(name)}={percent(value)}" for name, value in sorted(params.items()))
    string_to_sign = f"{method}&{percent('/')}&{percent(canonical)}"
    digest = hmac.new(f"{KEY_SECRET}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return {**params, "Signature": base64.b64encode(digest).decode()}


def rpc(action, **params):
    """One signed RPC call: Action, Version, the parameters and the signature as a form-encoded POST body."""
    body = urllib.parse.urlencode(signed("POST", {"Action": action, "Version": "2018-01-20", **params})).encode()
    request = urllib.request.Request(
        API, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            reply = json.loads(answer.read())
    except urllib.error.HTTPError as error:
        text = error.read().decode(errors="replace")
        try:
            reply = json.loads(text)
        except ValueError:
            raise Failure(f"{action}: HTTP {error.code}: {text[:300]}") from None
        raise Failure(f"{action}: HTTP {error.code} {reply.get('Code')}: {reply.get('ErrorMessage')}") from None
    if reply.get("Success") is not True:
        raise Failure(f"{action}: {reply.get('Code')}: {reply.get('ErrorMessage')} ({reply})")
    return reply


def device_detail():
    data = rpc("QueryDeviceDetail", ProductKey=state["pk"], DeviceName=state["dn"])["Data"]
    state["last"] = {k: data.get(k) for k in ("Status", "FirmwareVersion", "IpAddress")}
    return data


def the_task():
    tasks = rpc("ListOTATaskByJob", JobId=state["job"])["Data"]["SimpleOTATaskInfo"]
    expect(len(tasks) == 1, f"the batch has {len(tasks)} tasks, not 1: {tasks}")
    task = tasks[0]
    state["last"] = {k: task.get(k) for k in ("TaskStatus", "Progress", "ReasonCode", "TaskDesc")}
    return task


def task_is(statuses, progress=None):
    """The task when it is in one of statuses (and at progress, when given), else None."""
    task = the_task()
    if task["TaskStatus"] in statuses and (progress is None or task["Progress"] == progress):
        return task
    return None


# ---- the SDK's log: kept, and shown on failure -------------------------------------------------


class SdkLog(logging.Handler):
    """Keeps the newest lines of linkkit's and paho's logs and notes every CONNACK."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = collections.deque(maxlen=60)
        self.connacks = []

    def emit(self, record):
        text = record.getMessage()
        self.lines.append(f"{record.name}: {text}")
        if text.startswith("Received CONNACK"):
            self.connacks.append(text)


sdk_log = SdkLog()
for name in ("linkkit", "Paho"):
    logger = logging.getLogger(name)
    logger.addHandler(sdk_log)
    logger.propagate = False


def dump_sdk_log():
    if sdk_log.lines:
        print("---- the SDK's last log lines ----", file=sys.stderr)
        for line in sdk_log.lines:
            print(line, file=sys.stderr)
        print("----", file=sys.stderr, flush=True)


# ---- the device --------------------------------------------------------------------------------

events = {"connect": threading.Event(), "disconnect": threading.Event()}
subacks = queue.Queue()  # (mid, granted_qos)
pushes = queue.Queue()  # (notice_type, version, size, url, sign_method, sign, module, extra)
other_messages = queue.Queue()  # (topic, payload) that linkkit did not take as an OTA notice


def on_connect(session_flag, rc, userdata):
    state["connect_rc"] = rc
    events["connect"].set()


def on_disconnect(rc, userdata):
    events["disconnect"].set()


def on_subscribe_topic(mid, granted_qos, userdata):
    subacks.put((mid, list(granted_qos)))


def on_ota_message_arrived(notice_type, version, size, url, sign_method, sign, module, extra):
    # Called on linkkit's handler thread: hand over, work on the main thread.
    pushes.put((notice_type, version, size, url, sign_method, sign, module, extra))


def on_topic_message(topic, payload, qos, userdata):
    other_messages.put((topic, payload))


def disconnect(lk):
    """Leaves cleanly once; never hangs the run."""
    if state.get("disconnected"):
        return
    state["disconnected"] = True
    if lk.check_state() is linkkit.LinkKit.LinkKitState.CONNECTED:
        worker = threading.Thread(target=lk.disconnect, daemon=True)
        worker.start()
        worker.join(WAIT)


def progress(step_value, desc):
    pk, dn = state["pk"], state["dn"]
    payload = json.dumps({"id": str(int(time.time() * 1000)), "params": {"step": str(step_value), "desc": desc}})
    rc, mid = state["lk"].publish_topic(f"/ota/device/progress/{pk}/{dn}", payload, qos=1)
    expect(rc == 0, f"publish_topic of progress {step_value} answered {rc}")


# ---- the steps ---------------------------------------------------------------------------------


def create_product_and_device():
    tag = uuid.uuid4().hex[:8]
    product = rpc("CreateProduct", ProductName=f"linkkit check {tag}", NodeType="0", Description="linkkit_device.py")
    state["pk"] = product["Data"]["ProductKey"]
    device = rpc("RegisterDevice", ProductKey=state["pk"], DeviceName=f"lk-device-{tag}")["Data"]
    state["dn"], state["secret"] = device["DeviceName"], device["DeviceSecret"]
    expect(state["secret"], f"RegisterDevice answered no DeviceSecret: {device}")
    status = device_detail()["Status"]
    expect(status == "UNACTIVE", f"a new device is {status}, not UNACTIVE")
    print(f"    product {state['pk']}, device {state['dn']}", flush=True)


def upload_package():
    grant = rpc("GenerateOTAUploadURL", FileSuffix="bin")["Data"]
    content = f"linkkit check package {DEST_VERSION} ".encode() + os.urandom(3000)
    request = urllib.request.Request(grant["FirmwareUrl"], data=content, method="PUT")
    with urllib.request.urlopen(request, timeout=10) as answer:
        expect(answer.status == 200, f"the upload answered HTTP {answer.status}")
    state["url"], state["content"] = grant["FirmwareUrl"], content
    state["md5"], state["sha256"] = hashlib.md5(content).hexdigest(), hashlib.sha256(content).hexdigest()


def create_package():
    created = rpc(
        "CreateOTAFirmware",
        ProductKey=state["pk"],
        FirmwareName=f"lk-{state['dn'][-8:]}-{DEST_VERSION.replace('.', '_')}",
        DestVersion=DEST_VERSION,
        FirmwareUrl=state["url"],
        SignMethod="SHA256",
        FirmwareSign=state["sha256"],
        NeedToVerify="false",
    )
    state["firmware"] = created["Data"]["FirmwareId"]


def config_mqtt(lk):
    """Plain MQTT, or TLS (linkkit's securemode 2) trusting the test's CA instead of Alibaba's."""
    if CA_FILE:
        with open(CA_FILE) as ca:
            lk.config_mqtt(endpoint=MQTT_HOST, port=int(MQTT_PORT), secure="TLS", cadata=ca.read())
    else:
        lk.config_mqtt(endpoint=MQTT_HOST, port=int(MQTT_PORT), secure="")


def connect():
    lk = linkkit.LinkKit(
        host_name="cn-shanghai", product_key=state["pk"], device_name=state["dn"], device_secret=state["secret"]
    )
    lk.enable_logger(logging.DEBUG)  # into SdkLog only, so that paho's CONNACK can be read
    config_mqtt(lk)
    lk.on_connect = on_connect
    lk.on_disconnect = on_disconnect
    lk.on_subscribe_topic = on_subscribe_topic
    lk.on_ota_message_arrived = on_ota_message_arrived
    lk.on_topic_message = on_topic_message
    state["lk"] = lk
    lk.connect_async()
    deadline = time.monotonic() + WAIT
    # linkkit calls on_connect only on success; a refusal shows as paho's CONNACK in the log.
    while not events["connect"].wait(0.2):
        refused = [c for c in sdk_log.connacks if not c.endswith(", 0)")]
        if refused:
            raise Failure(f"the broker refused the login: paho logged '{refused[0]}'")
        if time.monotonic() > deadline:
            raise Failure(f"no CONNACK within {WAIT} s (linkkit state {lk.check_state()})")
    rc = state["connect_rc"]
    expect(rc != 9, f"cannot reach the broker at {MQTT_HOST}:{MQTT_PORT} (linkkit's on_connect rc 9)")
    expect(rc == 0, f"on_connect with rc {rc}")


def subscribe():
    pk, dn = state["pk"], state["dn"]
    topics = [(f"/ota/device/upgrade/{pk}/{dn}", 1), (f"/sys/{pk}/{dn}/thing/ota/firmware/get_reply", 1)]
    rc, mid = state["lk"].subscribe_topic(topics)
    expect(rc == 0, f"subscribe_topic answered {rc}")
    try:
        got_mid, granted = subacks.get(timeout=WAIT)
    except queue.Empty:
        raise Failure(f"no SUBACK within {WAIT} s") from None
    expect(got_mid == mid, f"SUBACK for message {got_mid}, not {mid}")
    refused = [t for (t, _), q in zip(topics, granted) if q not in (0, 1)]
    expect(not refused, f"the broker refused {refused} (granted {granted})")


def online():
    # The broker records a connection after answering it: the status follows within moments.
    wait_until("status ONLINE", WAIT, lambda: device_detail()["Status"] == "ONLINE")
    detail = device_detail()
    expect(detail.get("IpAddress"), f"no IpAddress for the connected device: {detail}")


def report_source_version():
    # Answers OTA_PUB_FAILED even when it published (see the top): the API tells.
    state["lk"].ota_report_version("default", SRC_VERSION)
    wait_until(
        f"FirmwareVersion {SRC_VERSION}", WAIT, lambda: device_detail().get("FirmwareVersion") == SRC_VERSION
    )


def pull_nothing_pending():
    pk, dn = state["pk"], state["dn"]
    # Linkkit drops a get_reply without a package ("invalid download params") and calls no
    # callback, so the answer is read from its paho client, then handed on to linkkit as usual.
    client = state["lk"]._LinkKit__mqtt_client

    def tap(mqtt_client, userdata, message):
        other_messages.put((message.topic, message.payload))
        client.on_message(mqtt_client, userdata, message)

    client.message_callback_add(f"/sys/{pk}/{dn}/thing/ota/firmware/get_reply", tap)
    state["lk"].query_ota_firmware()  # same return value bug as ota_report_version
    try:
        topic, payload = other_messages.get(timeout=WAIT)
    except queue.Empty:
        raise Failure(f"no answer on firmware/get_reply within {WAIT} s") from None
    expect(topic == f"/sys/{pk}/{dn}/thing/ota/firmware/get_reply", f"a message on {topic}: {payload!r}")
    reply = json.loads(payload)
    expect(str(reply.get("code")) == "200" and reply.get("data") == {}, f"get_reply with a pending update: {reply}")
    expect(pushes.empty(), "an OTA notice although nothing is pending")
    client.message_callback_remove(f"/sys/{pk}/{dn}/thing/ota/firmware/get_reply")


def create_batch():
    created = rpc(
        "CreateOTAStaticUpgradeJob",
        FirmwareId=state["firmware"],
        ProductKey=state["pk"],
        TargetSelection="SPECIFIC",
        **{"TargetDeviceName.1": state["dn"], "SrcVersion.1": SRC_VERSION},
        NeedPush="true",
        MaximumPerMinute="1000",
        TimeoutInMinutes="5",
    )
    state["job"] = created["Data"]["JobId"]
    task = the_task()
    expect(task["SrcVersion"] == SRC_VERSION, f"the task's SrcVersion is {task['SrcVersion']}: {task}")


def receive_push():
    try:
        notice = pushes.get(timeout=WAIT)
    except queue.Empty:
        raise Failure(f"no OTA push within {WAIT} s (task {the_task().get('TaskStatus')})") from None
    notice_type, version, size, url, sign_method, sign, module, extra = notice
    expect(notice_type == 1, f"notice type {notice_type}, not 1 (a push on /ota/device/upgrade)")
    expect(version == DEST_VERSION, f"pushed version {version}, not {DEST_VERSION}")
    expect(int(size) == len(state["content"]), f"pushed size {size}, not {len(state['content'])}")
    expect(sign_method == "SHA256", f"pushed signMethod {sign_method!r}, not 'SHA256'")
    expect(sign == state["sha256"], f"pushed sign {sign}, not the package's SHA-256 {state['sha256']}")
    expect(module == "default", f"pushed module {module!r}")
    expect(url.startswith(API.split(":")[0] + "://"), f"pushed url {url}")
    state["push"] = {"url": url, "sign_method": sign_method, "sign": sign}
    print(f"    push of {version} ({size} bytes, {sign_method}) from {url}", flush=True)
    wait_until("task NOTIFIED", WAIT, lambda: task_is({"NOTIFIED"}))


def download():
    progress(10, "downloading")
    push = state["push"]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "package.bin")
        rc = state["lk"].download_ota_firmware(push["url"], path, push["sign_method"], push["sign"])
        expect(rc == linkkit.LinkKit.ErrorCode.SUCCESS, f"download_ota_firmware answered {rc}")
        with open(path, "rb") as file:
            content = file.read()
    expect(content == state["content"], f"downloaded {len(content)} bytes that differ from the upload")
    expect(hashlib.md5(content).hexdigest() == state["md5"], "MD5 mismatch")
    progress(50, "downloaded and verified")
    wait_until("task IN_PROGRESS at 50.00", WAIT, lambda: task_is({"IN_PROGRESS"}, progress="50.00"))


def install():
    progress(100, "flashed")
    # As after the download: the progress recorded before the next publish. Linkkit writes to
    # its TLS socket from the caller's thread and from its own loop; a publish while the last
    # one is still being written failed once in CI with OpenSSL's BAD_LENGTH.
    wait_until("task IN_PROGRESS at 100.00", WAIT, lambda: task_is({"IN_PROGRESS"}, progress="100.00"))
    state["lk"].ota_report_version("default", DEST_VERSION)
    task = wait_until("task SUCCEEDED", TASK_WAIT, lambda: task_is({"SUCCEEDED", "FAILED", "CANCELED"}))
    expect(task["TaskStatus"] == "SUCCEEDED", f"the task ended {task['TaskStatus']}: {state['last']}")
    detail = device_detail()
    expect(detail["FirmwareVersion"] == DEST_VERSION, f"the device shows version {detail['FirmwareVersion']}")
    expect(detail["Status"] == "ONLINE", f"the device is {detail['Status']} while connected")
    job = rpc("QueryOTAJob", JobId=state["job"])["Data"]
    expect(job["JobStatus"] == "COMPLETED", f"the batch is {job['JobStatus']}, not COMPLETED")


def leave():
    disconnect(state["lk"])
    expect(events["disconnect"].wait(WAIT), f"no on_disconnect within {WAIT} s")
    wait_until("status OFFLINE", WAIT, lambda: device_detail()["Status"] == "OFFLINE")


def wrong_secret_refused():
    """Linkkit with a wrong DeviceSecret gets CONNACK 4 (bad user name or password)."""
    sdk_log.connacks.clear()
    lk = linkkit.LinkKit(
        host_name="cn-shanghai", product_key=state["pk"], device_name=state["dn"], device_secret="0" * 32
    )
    lk.enable_logger(logging.DEBUG)
    config_mqtt(lk)
    lk.connect_async()
    try:
        connack = wait_until("a CONNACK", WAIT, lambda: sdk_log.connacks[:1])[0]
        expect(connack.endswith(", 4)"), f"paho logged '{connack}', not a refusal with code 4")
    finally:
        # Linkkit retries a refused login forever; destruct ends its loop (in a few seconds at most).
        worker = threading.Thread(target=lk.destruct, daemon=True)
        worker.start()
        worker.join(WAIT)
    expect(device_detail()["Status"] == "OFFLINE", "a refused login changed the device's status")


started = time.monotonic()
step("API: create a product and a device", create_product_and_device)
step("API: upload a package file", upload_package)
step(f"API: create a package of {DEST_VERSION} (SHA256, no verification)", create_package)
step(f"linkkit: connect to {MQTT_HOST}:{MQTT_PORT} with the DeviceSecret", connect)
step("linkkit: subscribe to the OTA push and pull-reply topics", subscribe)
step("API: the device is ONLINE", online)
step(f"linkkit: report version {SRC_VERSION} (API shows it)", report_source_version)
step("linkkit: ask for an update, nothing pending yet", pull_nothing_pending)
step(f"API: create a static batch from {SRC_VERSION} for the device", create_batch)
step("linkkit: the batch's push arrives (task NOTIFIED)", receive_push)
step("linkkit: download and check the package, report progress (task IN_PROGRESS)", download)
step(f"linkkit: report version {DEST_VERSION} (task SUCCEEDED, batch COMPLETED)", install)
step("linkkit: disconnect (device OFFLINE)", leave)
step("linkkit: a wrong DeviceSecret is refused (CONNACK 4)", wrong_secret_refused)
print(f"    {time.monotonic() - started:.1f} s", flush=True)
finish(failed=0)
