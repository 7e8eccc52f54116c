use super::*;
use crate::task::TaskReason;

#[test]
fn a_version_report_names_its_module_or_means_the_default_one() {
    let mcu = Inform::parse(br#"{"id": "123", "params": {"version": "1.0.1", "module": "MCU"}}"#).unwrap();
    assert_eq!(
        (mcu.id, mcu.version.as_str(), mcu.module.as_str()),
        (Some(MessageId::Text("123".into())), "1.0.1", "MCU")
    );
    let plain = Inform::parse(br#"{"id": 7, "params": {"version": "2.0.0"}}"#).unwrap();
    assert_eq!((plain.id, plain.module.as_str()), (Some(MessageId::Number(7)), "default"));
}

#[test]
fn progress_steps_come_as_strings_or_numbers() {
    let text = ProgressReport::parse(br#"{"id":"1","params":{"step":"-2","desc":"no space","module":"MCU"}}"#).unwrap();
    assert_eq!(text.step, Step::Failed(TaskReason::DownloadFailed));
    assert_eq!(text.desc.as_deref(), Some("no space"));
    let number = ProgressReport::parse(br#"{"id":1,"params":{"step":55}}"#).unwrap();
    assert_eq!((number.step, number.module.as_str()), (Step::Percent(55), "default"));
}

#[test]
fn a_pull_may_name_no_module() {
    assert_eq!(
        FirmwareGet::parse(br#"{"id":"9","version":"1.0","params":{},"method":"thing.ota.firmware.get"}"#)
            .unwrap()
            .module,
        "default"
    );
}

#[test]
fn bad_payloads_are_refused_with_a_reason() {
    let why = |bytes: &[u8]| ProgressReport::parse(bytes).unwrap_err().0;
    assert!(why(b"not json").contains("not the expected JSON"));
    assert!(why(br#"{"id":"1"}"#).contains("no params"));
    assert!(why(br#"{"params":{}}"#).contains("no params.step"));
    assert!(why(br#"{"params":{"step":"half"}}"#).contains("'half' is not a number"));
    assert!(why(br#"{"params":{"step":"101"}}"#).contains("not from -4 to 100"));
    assert!(why(br#"{"params":{"step":"-5"}}"#).contains("not from -4 to 100"));
    assert!(why(br#"{"params":{"step":[1]}}"#).contains("not the expected JSON"));
    let long_desc = format!(r#"{{"params":{{"step":"1","desc":"{}"}}}}"#, "x".repeat(MAX_DESC_CHARS + 1));
    assert!(why(long_desc.as_bytes()).contains("desc is longer"));
    let huge = format!(r#"{{"params":{{"step":"1","desc":"{}"}}}}"#, "x".repeat(MAX_PAYLOAD_BYTES));
    assert!(why(huge.as_bytes()).contains("more than"));
    let inform = |bytes: &[u8]| Inform::parse(bytes).unwrap_err().0;
    assert!(inform(br#"{"params":{"module":"MCU"}}"#).contains("no params.version"));
    assert!(inform(br#"{"params":{"version":"1.0 beta!"}}"#).contains("version"));
    assert!(inform(br#"{"params":{"version":"1.0","module":"bad module!"}}"#).contains("module"));
}

fn update() -> UpdateInfo {
    UpdateInfo {
        size: 432_945,
        version: "2.0.0".into(),
        url: "http://127.0.0.1:8080/files/abc".into(),
        is_diff: None,
        sign: "93230c3bde425a9d".into(),
        sign_method: "Md5".into(),
        md5: Some("93230c3bde425a9d".into()),
        module: Some("MCU".into()),
        ext_data: [("wave".to_owned(), "2".to_owned())].into_iter().collect(),
        files: Vec::new(),
    }
}

#[test]
fn a_push_is_written_as_devices_read_it() {
    let json = serde_json::to_value(UpgradePush::new(1_626_969_597_470, update())).unwrap();
    assert_eq!(json["code"], "1000");
    assert_eq!(json["message"], "success");
    assert_eq!(json["id"], 1_626_969_597_470_u64);
    assert_eq!(json["data"]["signMethod"], "Md5");
    assert_eq!(json["data"]["extData"]["wave"], "2");
    assert!(json["data"].get("isDiff").is_none(), "full packages leave isDiff out");
    assert!(json["data"].get("files").is_none(), "single-file packages leave files out");
}

#[test]
fn a_multi_file_push_lists_its_files_and_repeats_the_first() {
    let file = |name: &str| PushedFile {
        file_name: name.into(),
        file_size: 10,
        file_url: format!("http://ota/{name}"),
        file_sign: "ab".into(),
    };
    let push = UpgradePush::new(1, UpdateInfo { files: vec![file("app.bin"), file("dsp.bin")], ..update() });
    let json = serde_json::to_value(&push).unwrap();
    assert_eq!(json["data"]["files"][1]["fileName"], "dsp.bin");
    assert_eq!(json["data"]["files"][0]["fileUrl"], "http://ota/app.bin");
    assert_eq!(serde_json::from_value::<UpgradePush>(json).unwrap(), push);
}

#[test]
fn a_pull_reply_echoes_the_id_and_is_empty_without_an_update() {
    let none = serde_json::to_string(&FirmwareGetReply::new(Some(MessageId::Text("123".into())), None)).unwrap();
    assert_eq!(none, r#"{"id":"123","code":200,"data":{}}"#);
    let some = FirmwareGetReply::new(Some(MessageId::Number(5)), Some(update()));
    let json = serde_json::to_string(&some).unwrap();
    assert_eq!(serde_json::from_str::<FirmwareGetReply>(&json).unwrap(), some);
    assert_eq!(serde_json::from_str::<FirmwareGetReply>(&none).unwrap().data, Pending::Nothing {});
}
