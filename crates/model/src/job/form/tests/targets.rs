use super::*;
use crate::job::create::DynamicTarget;

// ---- devices -------------------------------------------------------------------------------

#[test]
fn device_names_are_split_on_commas_spaces_and_new_lines_and_count_once() {
    let job = static_job(&BatchForm {
        device_names: " meter-0003, meter-0001\nmeter-0002  meter-0003，meter-0004、meter-0001\r\n".into(),
        ..scoped(Scope::Devices)
    });
    let expected = ["meter-0003", "meter-0001", "meter-0002", "meter-0004"].map(String::from).to_vec();
    assert_eq!(job.target, StaticTarget::Devices(expected), "in the order typed");
}

#[test]
fn a_verification_batch_takes_at_most_ten_devices() {
    assert!(matches!(request(&verify(&names(10))), Ok(NewBatch::Verify(job)) if job.device_names.len() == 10));
    assert_eq!(problems(&verify(&names(11))), [("TargetDeviceName.N".into(), Rule::TooMany { max: 10 })]);
    assert_eq!(problems(&verify(" \n ")), [("TargetDeviceName.1".into(), Rule::Missing)]);
}

#[test]
fn every_bad_device_name_is_named_by_its_place() {
    let found = problems(&verify("meter-0001 ab meter#0002"));
    assert_eq!(
        found,
        [
            ("TargetDeviceName.2".into(), Rule::Length { min: 4, max: 32 }),
            ("TargetDeviceName.3".into(), Rule::Character { bad: '#' }),
        ]
    );
}

#[test]
fn a_verification_batch_sends_and_checks_only_what_it_takes() {
    let form = BatchForm {
        maximum_per_minute: String::new(),
        rate_type: RateType::Variable,
        start_per_minute: "x".into(),
        retry_interval: Some(RetryInterval::OneDay),
        overwrite_mode: OverwriteMode::Overwrite,
        multi_module_mode: true,
        src_versions: "not/a/version".into(),
        scheduled: true,
        ..verify("meter-0001")
    };
    let batch = request(&form).unwrap();
    let sent: Vec<String> = batch.params().pairs().iter().map(|(name, _)| name.clone()).collect();
    for absent in ["MaximumPerMinute", "RateType", "RetryInterval", "OverwriteMode", "SrcVersion.1", "ScheduleTime"] {
        assert!(!sent.iter().any(|name| name == absent), "{absent} in {sent:?}");
    }
    assert_eq!(params_at_fault(&BatchForm { timeout_in_minutes: "0".into(), ..form }), ["TimeoutInMinutes"]);
}

#[test]
fn a_static_batch_names_at_most_two_hundred_devices() {
    let job = static_job(&BatchForm { device_names: names(200), ..scoped(Scope::Devices) });
    assert!(matches!(job.target, StaticTarget::Devices(names) if names.len() == 200));
    let too_many = BatchForm { device_names: names(201), ..scoped(Scope::Devices) };
    assert_eq!(problems(&too_many), [("TargetDeviceName.N".into(), Rule::TooMany { max: 200 })]);
    assert_eq!(params_at_fault(&scoped(Scope::Devices)), ["TargetDeviceName.1"]);
}

#[test]
fn a_device_list_batch_needs_its_uploaded_file() {
    assert_eq!(problems(&scoped(Scope::ListFile)), [("DnListFileUrl".into(), Rule::Missing)]);
    let url = "http://ota.test/ota-files/k1";
    let job = static_job(&BatchForm { list_file_url: format!(" {url} "), ..scoped(Scope::ListFile) });
    assert_eq!(job.target, StaticTarget::ListFile(url.into()));
}

#[test]
fn a_gray_batch_takes_more_than_0_and_at_most_100_percent() {
    assert_eq!(problems(&scoped(Scope::Gray)), [("GrayPercent".into(), Rule::Missing)]);
    for bad in ["0", "100.5", "12.3456", "ten"] {
        let form = BatchForm { gray_percent: bad.into(), ..scoped(Scope::Gray) };
        assert_eq!(params_at_fault(&form), ["GrayPercent"], "{bad}");
    }
    let job = static_job(&BatchForm { gray_percent: "12.5".into(), ..scoped(Scope::Gray) });
    assert_eq!(job.target, StaticTarget::Gray("12.5".parse().unwrap()));
}

#[test]
fn a_group_batch_needs_its_group() {
    assert_eq!(problems(&scoped(Scope::Group)), [("GroupId".into(), Rule::Missing)]);
    let job = static_job(&BatchForm { group_id: "g1".into(), ..scoped(Scope::Group) });
    assert_eq!(job.target, StaticTarget::Group("g1".into()));
}

// ---- versions ------------------------------------------------------------------------------

#[test]
fn a_static_batch_may_name_source_versions_which_must_be_versions() {
    assert!(static_job(&BatchForm::default()).src_versions.is_empty(), "any version");
    let job = static_job(&BatchForm { src_versions: "3.0.0, 3.0.1 3.0.0".into(), ..BatchForm::default() });
    assert_eq!(job.src_versions, ["3.0.0", "3.0.1"]);
    let bad = BatchForm { src_versions: "3.0.0, 3.0/1".into(), ..BatchForm::default() };
    assert_eq!(problems(&bad), [("SrcVersion.2".into(), Rule::Character { bad: '/' })]);
    let eleven = BatchForm {
        src_versions: (0..11).map(|i| format!("1.{i}")).collect::<Vec<_>>().join(","),
        ..BatchForm::default()
    };
    assert_eq!(problems(&eleven), [("SrcVersion.N".into(), Rule::TooMany { max: 10 })]);
}

#[test]
fn a_dynamic_batch_needs_source_versions() {
    assert_eq!(problems(&dynamic("")), [("SrcVersion.1".into(), Rule::Missing)]);
    let form = BatchForm { dynamic_mode: DynamicMode::NewReportsOnly, ..dynamic("2.4.11\n2.3.8") };
    let Ok(NewBatch::Dynamic(job)) = request(&form) else { panic!("not a dynamic batch") };
    assert_eq!(job.target, DynamicTarget::Versions(vec!["2.4.11".into(), "2.3.8".into()]));
    assert_eq!(job.dynamic_mode, DynamicMode::NewReportsOnly);
}

// ---- schedule ------------------------------------------------------------------------------

#[test]
fn a_scheduled_batch_needs_a_start() {
    let form = BatchForm { scheduled: true, ..BatchForm::default() };
    assert_eq!(problems(&form), [("ScheduleTime".into(), Rule::Missing)]);
    let start = now().millis() + 60 * MINUTE;
    let job = static_job(&BatchForm { schedule_start_ms: Some(start), ..form });
    assert_eq!(job.schedule, Schedule { start: UtcTime::from_millis(start), finish: None });
}

#[test]
fn a_scheduled_start_is_5_minutes_to_7_days_ahead() {
    let at = |minutes: i64| BatchForm {
        scheduled: true,
        schedule_start_ms: Some(now().millis() + minutes * MINUTE),
        ..BatchForm::default()
    };
    assert_eq!(params_at_fault(&at(4)), ["ScheduleTime"]);
    assert_eq!(params_at_fault(&at(7 * 1440 + 1)), ["ScheduleTime"]);
    assert!(request(&at(5)).is_ok());
    assert!(request(&at(7 * 1440)).is_ok());
}

#[test]
fn a_forced_end_falls_1_hour_to_30_days_after_the_start() {
    let start = now().millis() + 10 * MINUTE;
    let ending = |minutes: i64| BatchForm {
        scheduled: true,
        schedule_start_ms: Some(start),
        schedule_finish_ms: Some(start + minutes * MINUTE),
        ..BatchForm::default()
    };
    assert_eq!(params_at_fault(&ending(59)), ["ScheduleFinishTime"]);
    assert_eq!(params_at_fault(&ending(30 * 1440 + 1)), ["ScheduleFinishTime"]);
    assert_eq!(static_job(&ending(60)).schedule.finish, UtcTime::from_millis(start + 60 * MINUTE));
}

#[test]
fn an_unscheduled_batch_starts_at_once_whatever_times_the_form_kept() {
    let form =
        BatchForm { scheduled: false, schedule_start_ms: Some(0), schedule_finish_ms: Some(1), ..BatchForm::default() };
    assert_eq!(static_job(&form).schedule, Schedule::default());
    let dynamic = BatchForm { scheduled: true, ..dynamic("2.4.11") };
    assert!(request(&dynamic).is_ok(), "a dynamic batch has no schedule to miss");
}
