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

mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::device::credentials::Login;

    /// JSON values of any shape, a few levels deep.
    fn json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            ".{0,40}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::btree_map("id|params|version|module|step|desc|.{0,8}", inner, 0..6)
                    .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn no_bytes_make_a_payload_parser_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = Inform::parse(&bytes);
            let _ = ProgressReport::parse(&bytes);
            let _ = FirmwareGet::parse(&bytes);
        }

        #[test]
        fn no_json_of_any_shape_makes_a_payload_parser_panic(value in json()) {
            let bytes = serde_json::to_vec(&value).unwrap();
            let _ = Inform::parse(&bytes);
            let _ = ProgressReport::parse(&bytes);
            let _ = FirmwareGet::parse(&bytes);
            let wrapped = serde_json::to_vec(&serde_json::json!({"id": "1", "params": value})).unwrap();
            let _ = Inform::parse(&wrapped);
            let _ = ProgressReport::parse(&wrapped);
            let _ = FirmwareGet::parse(&wrapped);
        }

        #[test]
        fn every_step_from_minus_four_to_a_hundred_is_read_as_text_or_number(step in -4i64..=100, as_text in any::<bool>()) {
            let step_json = if as_text { serde_json::json!(step.to_string()) } else { serde_json::json!(step) };
            let bytes = serde_json::to_vec(&serde_json::json!({"id": "1", "params": {"step": step_json}})).unwrap();
            let report = ProgressReport::parse(&bytes).unwrap();
            prop_assert_eq!(report.module.as_str(), "default");
            prop_assert_eq!(Step::from_number(step), Some(report.step));
        }

        #[test]
        fn steps_outside_the_range_are_refused(step in any::<i64>().prop_filter("outside", |s| !(-4..=100).contains(s))) {
            let bytes = serde_json::to_vec(&serde_json::json!({"params": {"step": step}})).unwrap();
            prop_assert!(ProgressReport::parse(&bytes).is_err());
        }

        #[test]
        fn a_version_report_reads_back_what_the_device_sent(version in "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}", module in "[A-Za-z][A-Za-z0-9_]{0,20}") {
            let bytes = serde_json::to_vec(&serde_json::json!({"id": "7", "params": {"version": version, "module": module}})).unwrap();
            let inform = Inform::parse(&bytes).unwrap();
            prop_assert_eq!((inform.version, inform.module), (version, module));
        }

        #[test]
        fn no_client_id_or_user_name_makes_the_login_parser_panic(client_id in ".{0,80}", username in ".{0,40}", secs in any::<i64>()) {
            if let Ok(login) = Login::parse(&client_id, &username) {
                let _ = login.signed_content();
                if let Some(now) = chrono::DateTime::from_timestamp(secs.rem_euclid(1 << 40), 0) {
                    let _ = login.is_fresh(crate::UtcTime(now));
                }
            }
        }
    }
}
