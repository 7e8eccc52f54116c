"""Alibaba Cloud's own Python SDKs against ota-server.

Runs the same scripted workflow through both official SDKs for the IoT Platform API:
the current one (alibabacloud-iot20180120: action in the x-acs-action header, ACS3-HMAC-SHA256
Authorization header) and the older one (aliyun-python-sdk-iot on aliyun-python-sdk-core:
Action and a v1 Signature in the query string). The current SDK parses every answer into its
typed models; the older one has none, so its JSON is checked field by field.

Every call is signed with a real access key. Then, through each SDK's own signing code, the
server must refuse what Alibaba refuses: a wrong secret, a request signed 20 minutes ago, the
same signed request sent twice, a request changed after it was signed; and a read-only key
may make every read the workflow makes, none of its changes, and sees no DeviceSecret.

Usage: python workflow.py HOST:PORT, with two keys of the server in the environment:
  OTA_CA_FILE                                                    set: the server speaks https,
                                                                 with a certificate this CA signed
  ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET   an admin key
  OTA_READONLY_KEY_ID, OTA_READONLY_KEY_SECRET                   a read-only key
(`ota-server access-key create --name sdk --policy admin --json` makes one.)
Prints one line per check, "ok: …" or "FAILED: …", and exits non-zero on any failure.
"""

import contextlib
import hashlib
import json
import os
import sys
import time
import traceback
import urllib.error
import urllib.request
import uuid

from alibabacloud_iot20180120 import models
from alibabacloud_iot20180120.client import Client
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from alibabacloud_tea_openapi.utils import Utils
from alibabacloud_tea_util import models as util_models
from darabonba.core import DaraCore
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.utils import parameter_helper
from aliyunsdkiot.request.v20180120 import (
    CancelOTATaskByDeviceRequest,
    CreateOTAFirmwareRequest,
    CreateOTAVerifyJobRequest,
    GenerateOTAUploadURLRequest,
    ListOTATaskByJobRequest,
    QueryDeviceDetailRequest,
    QueryDeviceRequest,
    QueryOTAFirmwareRequest,
    QueryOTAJobRequest,
)

ENDPOINT = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8080"
# Both SDKs find the CA through their own variables (REQUESTS_CA_BUNDLE, ALIBABA_CLOUD_CA_BUNDLE).
SCHEME = "https" if os.environ.get("OTA_CA_FILE") else "http"
HVAC = "a1Hvac3CtlM"
HVAC_DEVICE = "hc3-bldg-a-020"
KEYS = ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "OTA_READONLY_KEY_ID", "OTA_READONLY_KEY_SECRET"]
missing = [name for name in KEYS if not os.environ.get(name)]
if missing:
    sys.exit(f"workflow.py: set {', '.join(missing)} (see the usage at the top of workflow.py)")
KEY_ID, KEY_SECRET, READER_ID, READER_SECRET = (os.environ[name] for name in KEYS)
# The same length and alphabet as the real secret, one character off.
WRONG_SECRET = KEY_SECRET[:-1] + ("A" if KEY_SECRET[-1] != "A" else "B")
results = []


def check(name):
    """Runs the decorated function as one named check."""

    def run(fn):
        try:
            fn()
            results.append((name, None))
            print(f"ok: {name}", flush=True)
        except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            results.append((name, detail))
            print(f"FAILED: {name}: {detail}", flush=True)
        return fn

    return run


def upload(url, content):
    request = urllib.request.Request(url, data=content, method="PUT")
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200, answer.status


def minutes_ago(minutes):
    """A request time as both SDKs write it, `minutes` before now."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60 * minutes))


@contextlib.contextmanager
def replaced(owner, name, value):
    """Inside the block, owner.name (a module's function or a class's static method) is value."""
    original = vars(owner)[name]
    setattr(owner, name, staticmethod(value) if isinstance(owner, type) else value)
    try:
        yield
    finally:
        setattr(owner, name, original)


def refused(call, status, code):
    """Runs call, which must fail with the API's HTTP status and error code, as the SDK reports them."""
    try:
        call()
    except ServerException as error:  # the older SDK
        got = (error.get_http_status(), error.get_error_code())
    except AlibabaCloudException as error:  # the current SDK
        got = (error.status_code, error.code)
    else:
        raise AssertionError(f"succeeded; expected {status} {code}")
    assert got == (status, code), f"answered {got}, expected {(status, code)}"


# ---- the current SDK ------------------------------------------------------------------------


def current_client(key_id, secret):
    return Client(
        open_api_models.Config(
            access_key_id=key_id, access_key_secret=secret, endpoint=ENDPOINT, protocol=SCHEME, region_id="cn-shanghai"
        )
    )


client = current_client(KEY_ID, KEY_SECRET)
state = {}


@check("current SDK: upload a package file")
def _():
    grant = client.generate_otaupload_url(models.GenerateOTAUploadURLRequest(file_suffix="bin")).body
    assert grant.success and grant.data.firmware_url.startswith(f"{SCHEME}://"), grant.to_map()
    content = b"hc3 controller 2.1.0 image"
    upload(grant.data.firmware_url, content)
    state["url"], state["md5"] = grant.data.firmware_url, hashlib.md5(content).hexdigest()


@check("current SDK: create a package")
def _():
    body = client.create_otafirmware(
        models.CreateOTAFirmwareRequest(
            product_key=HVAC,
            firmware_name="hc3-ctrl-2_1_0",
            dest_version="2.1.0",
            firmware_url=state["url"],
            firmware_sign=state["md5"],
            sign_method="MD5",
            need_to_verify=False,
        )
    ).body
    assert body.success and len(body.data.firmware_id) == 26, body.to_map()
    state["firmware"] = body.data.firmware_id


@check("current SDK: query the package")
def _():
    info = client.query_otafirmware(models.QueryOTAFirmwareRequest(firmware_id=state["firmware"])).body.firmware_info
    assert (info.firmware_name, info.dest_version, info.status, info.firmware_sign) == (
        "hc3-ctrl-2_1_0", "2.1.0", -1, state["md5"]), info.to_map()
    # Handed out as a signed download URL (an expiry and an HMAC, as OSS signs them).
    assert info.firmware_url.startswith(state["url"] + "?Expires="), info.firmware_url
    assert "&Signature=" in info.firmware_url and info.product_name == "HVAC controller HC-3"
    with urllib.request.urlopen(info.firmware_url) as answer:
        assert hashlib.md5(answer.read()).hexdigest() == state["md5"]
    try:
        urllib.request.urlopen(state["url"])
        raise AssertionError("an unsigned download URL worked")
    except urllib.error.HTTPError as error:
        assert error.code == 403, error.code


@check("current SDK: list packages")
def _():
    body = client.list_otafirmware(models.ListOTAFirmwareRequest(product_key=HVAC, page_size=10, current_page=1)).body
    assert body.total == 5 and body.firmware_info.simple_firmware_info[0].firmware_name == "hc3-ctrl-2_1_0", body.to_map()


@check("current SDK: create a static batch")
def _():
    body = client.create_otastatic_upgrade_job(
        models.CreateOTAStaticUpgradeJobRequest(
            firmware_id=state["firmware"],
            product_key=HVAC,
            target_selection="SPECIFIC",
            target_device_name=["hc3-bldg-a-020", "hc3-bldg-a-021", "hc3-bldg-a-022"],
            maximum_per_minute=100,
            retry_interval=10,
            retry_count=2,
            timeout_in_minutes=60,
            need_push=True,
            tag=[models.CreateOTAStaticUpgradeJobRequestTag(key="wave", value="sdk")],
        )
    ).body
    assert body.success and body.data.job_id, body.to_map()
    state["job"] = body.data.job_id


@check("current SDK: list the package's batches")
def _():
    body = client.list_otajob_by_firmware(models.ListOTAJobByFirmwareRequest(firmware_id=state["firmware"])).body
    job = body.data.simple_otajob_info[0]
    assert body.total == 1 and job.job_id == state["job"] and job.job_status == "IN_PROGRESS", body.to_map()
    assert job.tags.ota_tag_dto[0].key == "wave"


@check("current SDK: query the batch")
def _():
    data = client.query_otajob(models.QueryOTAJobRequest(job_id=state["job"])).body.data
    assert (data.job_type, data.selection_type, data.target_selection) == ("UPGRADE_FIRMWARE", "STATIC", "SPECIFIC"), data.to_map()
    assert (data.retry_interval, data.retry_count, data.timeout_in_minutes, data.maximum_per_minute) == (10, 2, 60, 100)


@check("current SDK: list the batch's tasks")
def _():
    body = client.list_otatask_by_job(models.ListOTATaskByJobRequest(job_id=state["job"], page_size=10, current_page=1)).body
    tasks = body.data.simple_otatask_info
    assert body.total == 3 and [t.task_status for t in tasks] == ["QUEUED"] * 3, body.to_map()
    assert tasks[0].device_name == "hc3-bldg-a-020" and tasks[0].src_version == "1.9.0" and tasks[0].progress == "0.00"


@check("current SDK: cancel the queued tasks")
def _():
    body = client.cancel_otatask_by_job(models.CancelOTATaskByJobRequest(job_id=state["job"], cancel_queued_task=True)).body
    assert body.success, body.to_map()
    tasks = client.list_otatask_by_job(models.ListOTATaskByJobRequest(job_id=state["job"])).body.data.simple_otatask_info
    assert [t.task_status for t in tasks] == ["CANCELED"] * 3
    job = client.query_otajob(models.QueryOTAJobRequest(job_id=state["job"])).body.data
    assert job.job_status == "CANCELED", job.to_map()


@check("current SDK: an unknown package is an error with the API's code")
def _():
    try:
        client.query_otafirmware(models.QueryOTAFirmwareRequest(firmware_id="no-such-package"))
    except Exception as error:
        assert "iot.ota.FirmwareNotFound" in str(error), error
    else:
        raise AssertionError("no error")


# ---- the current SDK: signatures and permissions ------------------------------------------------

reader = current_client(READER_ID, READER_SECRET)
send = DaraCore.do_action  # the SDK's own HTTP sender


@contextlib.contextmanager
def sent_requests(change=None):
    """Records every request the current SDK sends, after it signed it; `change` may alter it first."""
    sent = []

    def do_action(request, runtime_option=None):
        if change is not None:
            change(request)
        sent.append(request)
        return send(request, runtime_option)

    with replaced(DaraCore, "do_action", do_action):
        yield sent


def generic_call(action, body):
    """An action through the SDK's generic call_api, its parameters in a signed form body."""
    params = open_api_models.Params(
        action=action,
        version="2018-01-20",
        protocol="HTTP",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    request = open_api_models.OpenApiRequest(body=body)
    return client.call_api(params, request, util_models.RuntimeOptions())["body"]


def query_job(sdk_client=None):
    return (sdk_client or client).query_otajob(models.QueryOTAJobRequest(job_id=state["job"])).body


@check("current SDK: a wrong secret is refused (SignatureDoesNotMatch), an unknown key too")
def _():
    refused(lambda: query_job(current_client(KEY_ID, WRONG_SECRET)), 400, "SignatureDoesNotMatch")
    refused(lambda: query_job(current_client("LTAI" + "0" * 20, KEY_SECRET)), 404, "InvalidAccessKeyId.NotFound")


@check("current SDK: a request signed 20 minutes ago is refused (InvalidTimeStamp.Expired), 10 minutes ago is not")
def _():
    with replaced(Utils, "get_timestamp", lambda: minutes_ago(20)):
        refused(query_job, 400, "InvalidTimeStamp.Expired")
    with replaced(Utils, "get_timestamp", lambda: minutes_ago(10)):
        assert query_job().data.job_id == state["job"]


@check("current SDK: the same signed request sent twice is refused the second time (SignatureNonceUsed)")
def _():
    nonce, at = uuid.uuid4().hex, minutes_ago(0)
    with replaced(Utils, "get_nonce", lambda: nonce), replaced(Utils, "get_timestamp", lambda: at):
        with sent_requests() as sent:
            assert query_job().data.job_id == state["job"]
            refused(query_job, 400, "SignatureNonceUsed")
        first, second = sent
        assert first.headers["Authorization"] == second.headers["Authorization"], "not the same signed request"
        assert (first.query, first.body) == (second.query, second.body)
        # The nonce is spent for the key, whatever the request it signs.
        listing = models.ListOTAFirmwareRequest(product_key=HVAC, page_size=10, current_page=1)
        refused(lambda: client.list_otafirmware(listing), 400, "SignatureNonceUsed")


@check("current SDK: a body or query changed after signing is refused (SignatureDoesNotMatch)")
def _():
    body = generic_call("QueryOTAFirmware", {"FirmwareId": state["firmware"]})
    assert body["FirmwareInfo"]["FirmwareId"] == state["firmware"], body
    listed = client.list_otafirmware(models.ListOTAFirmwareRequest(product_key=HVAC, page_size=10, current_page=1))
    other = listed.body.firmware_info.simple_firmware_info[1].firmware_id  # another package, which exists

    def other_body(request):
        assert f"FirmwareId={state['firmware']}" in request.body, request.body
        request.body = request.body.replace(state["firmware"], other)

    with sent_requests(other_body):
        refused(lambda: generic_call("QueryOTAFirmware", {"FirmwareId": state["firmware"]}), 400, "SignatureDoesNotMatch")

    def other_body_and_digest(request):
        other_body(request)
        request.headers["x-acs-content-sha256"] = hashlib.sha256(request.body.encode()).hexdigest()

    with sent_requests(other_body_and_digest):
        refused(lambda: generic_call("QueryOTAFirmware", {"FirmwareId": state["firmware"]}), 400, "SignatureDoesNotMatch")

    def other_query(request):
        request.query["FirmwareId"] = other

    with sent_requests(other_query):
        query = models.QueryOTAFirmwareRequest(firmware_id=state["firmware"])
        refused(lambda: client.query_otafirmware(query), 400, "SignatureDoesNotMatch")


@check("current SDK: a read-only key makes every read of the workflow")
def _():
    info = reader.query_otafirmware(models.QueryOTAFirmwareRequest(firmware_id=state["firmware"])).body.firmware_info
    assert info.firmware_name == "hc3-ctrl-2_1_0", info.to_map()
    listed = reader.list_otafirmware(models.ListOTAFirmwareRequest(product_key=HVAC, page_size=10, current_page=1)).body
    assert listed.total == 5, listed.to_map()
    jobs = reader.list_otajob_by_firmware(models.ListOTAJobByFirmwareRequest(firmware_id=state["firmware"])).body
    assert jobs.total == 1, jobs.to_map()
    assert query_job(reader).data.job_status == "CANCELED"
    tasks = reader.list_otatask_by_job(models.ListOTATaskByJobRequest(job_id=state["job"])).body
    assert tasks.total == 3, tasks.to_map()


@check("current SDK: a read-only key is refused every change of the workflow (403 Forbidden.RAM)")
def _():
    forbidden = lambda call: refused(call, 403, "Forbidden.RAM")  # noqa: E731
    forbidden(lambda: reader.generate_otaupload_url(models.GenerateOTAUploadURLRequest(file_suffix="bin")))
    create = models.CreateOTAFirmwareRequest(
        product_key=HVAC,
        firmware_name="hc3-ctrl-reader",
        dest_version="2.1.1",
        firmware_url=state["url"],
        firmware_sign=state["md5"],
        sign_method="MD5",
        need_to_verify=False,
    )
    forbidden(lambda: reader.create_otafirmware(create))
    batch = models.CreateOTAStaticUpgradeJobRequest(
        firmware_id=state["firmware"],
        product_key=HVAC,
        target_selection="SPECIFIC",
        target_device_name=["hc3-bldg-a-023"],
        need_push=True,
    )
    forbidden(lambda: reader.create_otastatic_upgrade_job(batch))
    forbidden(lambda: reader.cancel_otatask_by_job(models.CancelOTATaskByJobRequest(job_id=state["job"], cancel_queued_task=True)))
    # Nothing was made.
    listed = client.list_otafirmware(models.ListOTAFirmwareRequest(product_key=HVAC, page_size=10, current_page=1)).body
    assert listed.total == 5, listed.to_map()
    jobs = client.list_otajob_by_firmware(models.ListOTAJobByFirmwareRequest(firmware_id=state["firmware"])).body
    assert jobs.total == 1, jobs.to_map()


def current_device_secrets(sdk_client):
    """Every DeviceSecret QueryDevice answers for the HVAC product's devices (all pages), and QueryDeviceDetail's."""
    secrets, page = [], 1
    while True:
        body = sdk_client.query_device(models.QueryDeviceRequest(product_key=HVAC, page_size=50, current_page=page)).body
        assert body.success, body.to_map()
        secrets += [device.device_secret for device in body.data.device_info]
        if page >= body.page_count:
            break
        page += 1
    assert len(secrets) == body.total > 0, (len(secrets), body.total)
    detail = sdk_client.query_device_detail(models.QueryDeviceDetailRequest(product_key=HVAC, device_name=HVAC_DEVICE))
    return secrets, detail.body.data.device_secret


@check("current SDK: no QueryDevice or QueryDeviceDetail answer to a read-only key carries a DeviceSecret")
def _():
    secrets, detail_secret = current_device_secrets(reader)
    assert not any(secrets) and not detail_secret, [s for s in secrets if s][:3] or detail_secret
    # The admin key sees them: the check above can fail.
    secrets, detail_secret = current_device_secrets(client)
    assert all(secrets) and detail_secret, "the admin key sees no DeviceSecret"


# ---- the older SDK ---------------------------------------------------------------------------

acs = AcsClient(KEY_ID, KEY_SECRET, "cn-shanghai")


def call(request, client=None):
    request.set_protocol_type(SCHEME)
    request.set_endpoint(ENDPOINT)
    return json.loads((client or acs).do_action_with_exception(request))


@check("older SDK: upload and create a package that needs verification")
def _():
    grant = call(GenerateOTAUploadURLRequest.GenerateOTAUploadURLRequest())
    content = b"hc3 controller 2.2.0 image"
    upload(grant["Data"]["FirmwareUrl"], content)
    request = CreateOTAFirmwareRequest.CreateOTAFirmwareRequest()
    request.set_ProductKey(HVAC)
    request.set_FirmwareName("hc3-ctrl-2_2_0")
    request.set_DestVersion("2.2.0")
    request.set_FirmwareUrl(grant["Data"]["FirmwareUrl"])
    request.set_SignMethod("SHA256")
    request.set_FirmwareSign(hashlib.sha256(content).hexdigest())
    created = call(request)
    assert created["Success"], created
    state["old_firmware"] = created["Data"]["FirmwareId"]
    query = QueryOTAFirmwareRequest.QueryOTAFirmwareRequest()
    query.set_FirmwareId(state["old_firmware"])
    info = call(query)["FirmwareInfo"]
    assert (info["Status"], info["SignMethod"]) == (0, "SHA256"), info


@check("older SDK: create a verification batch")
def _():
    request = CreateOTAVerifyJobRequest.CreateOTAVerifyJobRequest()
    request.set_FirmwareId(state["old_firmware"])
    request.set_ProductKey(HVAC)
    request.set_TargetDeviceNames(["hc3-bldg-a-030", "hc3-bldg-a-029"])
    request.set_NeedConfirm(True)
    request.set_TimeoutInMinutes(30)
    created = call(request)
    state["old_job"] = created["Data"]["JobId"]
    query = QueryOTAJobRequest.QueryOTAJobRequest()
    query.set_JobId(state["old_job"])
    job = call(query)["Data"]
    assert (job["JobType"], job["NeedConfirm"], job["TimeoutInMinutes"]) == ("VERFIY_FIRMWARE", True, 30), job


@check("older SDK: list tasks and cancel one device's")
def _():
    request = CancelOTATaskByDeviceRequest.CancelOTATaskByDeviceRequest()
    request.set_ProductKey(HVAC)
    request.set_FirmwareId(state["old_firmware"])
    request.set_DeviceNames(["hc3-bldg-a-030"])
    assert call(request)["Success"]
    listing = ListOTATaskByJobRequest.ListOTATaskByJobRequest()
    listing.set_JobId(state["old_job"])
    listing.set_TaskStatus("CANCELED")
    tasks = call(listing)
    assert tasks["Total"] == 1 and tasks["Data"]["SimpleOTATaskInfo"][0]["DeviceName"] == "hc3-bldg-a-030", tasks


@check("older SDK: an invalid parameter is an error with the API's code")
def _():
    request = ListOTATaskByJobRequest.ListOTATaskByJobRequest()
    request.set_JobId(state.get("old_job", "x"))
    request.set_PageSize(101)
    try:
        call(request)
    except ServerException as error:
        assert error.get_error_code() == "iot.common.InvalidPageParams", error
    else:
        raise AssertionError("no error")



# ---- the older SDK: signatures and permissions --------------------------------------------------

acs_reader = AcsClient(READER_ID, READER_SECRET, "cn-shanghai")


def old_query_job(sdk_client=None):
    request = QueryOTAJobRequest.QueryOTAJobRequest()
    request.set_JobId(state["old_job"])
    return call(request, sdk_client)


@check("older SDK: a wrong secret is refused (SignatureDoesNotMatch), an unknown key too")
def _():
    refused(lambda: old_query_job(AcsClient(KEY_ID, WRONG_SECRET, "cn-shanghai")), 400, "SignatureDoesNotMatch")
    unknown = AcsClient("LTAI" + "0" * 20, KEY_SECRET, "cn-shanghai")
    refused(lambda: old_query_job(unknown), 404, "InvalidAccessKeyId.NotFound")


@check("older SDK: a request signed 20 minutes ago is refused (InvalidTimeStamp.Expired), 10 minutes ago is not")
def _():
    with replaced(parameter_helper, "get_iso_8061_date", lambda: minutes_ago(20)):
        refused(old_query_job, 400, "InvalidTimeStamp.Expired")
    with replaced(parameter_helper, "get_iso_8061_date", lambda: minutes_ago(10)):
        assert old_query_job()["Data"]["JobId"] == state["old_job"]


@check("older SDK: the same signed request sent twice is refused the second time (SignatureNonceUsed)")
def _():
    nonce, at = str(uuid.uuid4()), minutes_ago(0)
    with replaced(parameter_helper, "get_uuid", lambda: nonce), replaced(parameter_helper, "get_iso_8061_date", lambda: at):
        first, second = QueryOTAJobRequest.QueryOTAJobRequest(), QueryOTAJobRequest.QueryOTAJobRequest()
        for request in (first, second):
            request.set_JobId(state["old_job"])
        assert call(first)["Data"]["JobId"] == state["old_job"]
        refused(lambda: call(second), 400, "SignatureNonceUsed")
        assert first.string_to_sign == second.string_to_sign, "not the same signed request"


@check("older SDK: a query changed after signing is refused (SignatureDoesNotMatch)")
def _():
    request = QueryOTAJobRequest.QueryOTAJobRequest()
    request.set_JobId(state["old_job"])
    signed_url = request.get_url

    def changed_url(*args):
        url = signed_url(*args)
        assert f"JobId={state['old_job']}" in url, url
        return url.replace(state["old_job"], state["job"])

    request.get_url = changed_url
    refused(lambda: call(request), 400, "SignatureDoesNotMatch")


@check("older SDK: a read-only key makes every read of the workflow")
def _():
    query = QueryOTAFirmwareRequest.QueryOTAFirmwareRequest()
    query.set_FirmwareId(state["old_firmware"])
    assert call(query, acs_reader)["FirmwareInfo"]["FirmwareName"] == "hc3-ctrl-2_2_0"
    assert old_query_job(acs_reader)["Data"]["JobType"] == "VERFIY_FIRMWARE"
    listing = ListOTATaskByJobRequest.ListOTATaskByJobRequest()
    listing.set_JobId(state["old_job"])
    assert call(listing, acs_reader)["Total"] == 2


@check("older SDK: a read-only key is refused every change of the workflow (403 Forbidden.RAM)")
def _():
    forbidden = lambda request: refused(lambda: call(request, acs_reader), 403, "Forbidden.RAM")  # noqa: E731
    forbidden(GenerateOTAUploadURLRequest.GenerateOTAUploadURLRequest())
    create = CreateOTAFirmwareRequest.CreateOTAFirmwareRequest()
    create.set_ProductKey(HVAC)
    create.set_FirmwareName("hc3-ctrl-reader-old")
    create.set_DestVersion("2.2.1")
    create.set_FirmwareUrl(state["url"])
    create.set_SignMethod("MD5")
    create.set_FirmwareSign(state["md5"])
    forbidden(create)
    verify = CreateOTAVerifyJobRequest.CreateOTAVerifyJobRequest()
    verify.set_FirmwareId(state["old_firmware"])
    verify.set_ProductKey(HVAC)
    verify.set_TargetDeviceNames(["hc3-bldg-a-028"])
    verify.set_TimeoutInMinutes(30)
    forbidden(verify)
    cancel = CancelOTATaskByDeviceRequest.CancelOTATaskByDeviceRequest()
    cancel.set_ProductKey(HVAC)
    cancel.set_FirmwareId(state["old_firmware"])
    cancel.set_DeviceNames(["hc3-bldg-a-029"])
    forbidden(cancel)
    # Nothing changed: the other device's task is not cancelled, and there is no new package.
    listing = ListOTATaskByJobRequest.ListOTATaskByJobRequest()
    listing.set_JobId(state["old_job"])
    listing.set_TaskStatus("CANCELED")
    assert call(listing)["Total"] == 1
    listed = client.list_otafirmware(models.ListOTAFirmwareRequest(product_key=HVAC, page_size=10, current_page=1)).body
    assert listed.total == 6, listed.to_map()


def old_device_secrets(sdk_client):
    """Every DeviceSecret QueryDevice answers for the HVAC product's devices (all pages), and QueryDeviceDetail's."""
    secrets, page = [], 1
    while True:
        request = QueryDeviceRequest.QueryDeviceRequest()
        request.set_ProductKey(HVAC)
        request.set_PageSize(50)
        request.set_CurrentPage(page)
        answer = call(request, sdk_client)
        secrets += [device.get("DeviceSecret") for device in answer["Data"]["DeviceInfo"]]
        if page >= answer["PageCount"]:
            break
        page += 1
    assert len(secrets) == answer["Total"] > 0, (len(secrets), answer["Total"])
    detail = QueryDeviceDetailRequest.QueryDeviceDetailRequest()
    detail.set_ProductKey(HVAC)
    detail.set_DeviceName(HVAC_DEVICE)
    return secrets, call(detail, sdk_client)["Data"].get("DeviceSecret")


@check("older SDK: no QueryDevice or QueryDeviceDetail answer to a read-only key carries a DeviceSecret")
def _():
    secrets, detail_secret = old_device_secrets(acs_reader)
    assert not any(secrets) and not detail_secret, [s for s in secrets if s][:3] or detail_secret
    secrets, detail_secret = old_device_secrets(acs)
    assert all(secrets) and detail_secret, "the admin key sees no DeviceSecret"


failed = [name for name, detail in results if detail]
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
