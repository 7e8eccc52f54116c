"""Alibaba Cloud's own Python SDKs against ota-server.

Runs the same scripted workflow through both official SDKs for the IoT Platform API:
the current one (alibabacloud-iot20180120: action in the x-acs-action header, ACS3-HMAC-SHA256
Authorization header) and the older one (aliyun-python-sdk-iot on aliyun-python-sdk-core:
Action and a v1 Signature in the query string). The current SDK parses every answer into its
typed models; the older one has none, so its JSON is checked field by field.

Usage: python workflow.py HOST:PORT
Prints one line per check, "ok: …" or "FAILED: …", and exits non-zero on any failure.
"""

import hashlib
import json
import sys
import traceback
import urllib.request

ENDPOINT = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8080"
HVAC = "a1Hvac3CtlM"
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


# ---- the current SDK ------------------------------------------------------------------------

from alibabacloud_iot20180120 import models
from alibabacloud_iot20180120.client import Client
from alibabacloud_tea_openapi import models as open_api_models

client = Client(
    open_api_models.Config(
        access_key_id="test-key", access_key_secret="test-secret", endpoint=ENDPOINT, protocol="http", region_id="cn-shanghai"
    )
)
state = {}


@check("current SDK: upload a package file")
def _():
    grant = client.generate_otaupload_url(models.GenerateOTAUploadURLRequest(file_suffix="bin")).body
    assert grant.success and grant.data.firmware_url.startswith("http://"), grant.to_map()
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
    assert info.firmware_url == state["url"] and info.product_name == "HVAC controller HC-3"


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


# ---- the older SDK ---------------------------------------------------------------------------

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkiot.request.v20180120 import (
    CancelOTATaskByDeviceRequest,
    CreateOTAFirmwareRequest,
    CreateOTAVerifyJobRequest,
    GenerateOTAUploadURLRequest,
    ListOTATaskByJobRequest,
    QueryOTAFirmwareRequest,
    QueryOTAJobRequest,
)

acs = AcsClient("test-key", "test-secret", "cn-shanghai")


def call(request):
    request.set_protocol_type("http")
    request.set_endpoint(ENDPOINT)
    return json.loads(acs.do_action_with_exception(request))


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


failed = [name for name, detail in results if detail]
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
