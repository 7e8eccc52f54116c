use super::*;
use crate::job::rate::PushRate;
use crate::task::TaskReason;

// ---- policy --------------------------------------------------------------------------------

#[test]
fn the_push_rate_is_given_and_10_to_10000_a_minute() {
    let rate = |text: &str| BatchForm { maximum_per_minute: text.into(), ..BatchForm::default() };
    assert_eq!(problems(&rate(" ")), [("MaximumPerMinute".into(), Rule::Missing)], "not the API's 10,000");
    assert_eq!(problems(&rate("9")), [("MaximumPerMinute".into(), Rule::Range { min: 10, max: 10_000 })]);
    assert_eq!(params_at_fault(&rate("10001")), ["MaximumPerMinute"]);
    assert_eq!(static_job(&rate(" 10000 ")).policy.maximum_per_minute, 10_000);
}

#[test]
fn a_variable_rate_needs_its_start_factor_and_step() {
    let variable = BatchForm {
        rate_type: RateType::Variable,
        start_per_minute: String::new(),
        growth_factor: String::new(),
        growth_every: String::new(),
        ..BatchForm::default()
    };
    assert_eq!(params_at_fault(&variable), ["StartPerMinute", "GrowthFactor", "GrowthEvery"]);
    let too_fast = BatchForm {
        start_per_minute: "500".into(),
        growth_factor: "2".into(),
        growth_every: "50".into(),
        ..variable.clone()
    };
    assert_eq!(params_at_fault(&too_fast), ["StartPerMinute"], "above the maximum of 100");
    let job = static_job(&BatchForm {
        start_per_minute: "10".into(),
        growth_factor: "1.5".into(),
        growth_every: "50".into(),
        growth_on: GrowthOn::Succeeded,
        ..variable
    });
    let PushRate::Variable(growth) = job.policy.push_rate else { panic!("a constant rate") };
    assert_eq!((growth.start_per_minute, growth.factor.to_string(), growth.every), (10, "1.5".into(), 50));
    assert_eq!(growth.on, GrowthOn::Succeeded);
}

#[test]
fn a_constant_rate_ignores_the_growth_fields() {
    let form = BatchForm { growth_factor: "nonsense".into(), ..BatchForm::default() };
    assert_eq!(static_job(&form).policy.push_rate, PushRate::Constant);
}

#[test]
fn a_retry_needs_a_count_and_an_interval_shorter_than_the_timeout() {
    let retry = BatchForm { retry_interval: Some(RetryInterval::OneHour), ..BatchForm::default() };
    let policy = static_job(&retry).policy;
    assert_eq!(policy.retry.map(|r| (r.interval, r.count)), Some((RetryInterval::OneHour, RetryCount::Once)));
    let uncounted = BatchForm { retry_count: None, ..retry.clone() };
    assert_eq!(problems(&uncounted), [("RetryCount".into(), Rule::Missing)]);
    let too_long = BatchForm { timeout_in_minutes: "60".into(), ..retry };
    assert_eq!(params_at_fault(&too_long), ["RetryInterval"]);
    let none = BatchForm { retry_interval: None, retry_count: Some(RetryCount::FiveTimes), ..BatchForm::default() };
    assert_eq!(static_job(&none).policy.retry, None, "no interval, no retry");
}

#[test]
fn the_timeout_is_1_to_1440_minutes_or_none() {
    let timeout = |text: &str| BatchForm { timeout_in_minutes: text.into(), ..BatchForm::default() };
    assert_eq!(static_job(&timeout("")).policy.timeout_in_minutes, None);
    assert_eq!(static_job(&timeout("1440")).policy.timeout_in_minutes, Some(1440));
    assert_eq!(problems(&timeout("0")), [("TimeoutInMinutes".into(), Rule::Range { min: 1, max: 1440 })]);
    assert_eq!(params_at_fault(&timeout("1441")), ["TimeoutInMinutes"]);
}

#[test]
fn overwriting_cannot_go_with_multi_module_mode() {
    let both = BatchForm { overwrite_mode: OverwriteMode::Overwrite, multi_module_mode: true, ..BatchForm::default() };
    assert_eq!(params_at_fault(&both), ["OverwriteMode"]);
    assert!(request(&BatchForm { multi_module_mode: false, ..both.clone() }).is_ok());
    assert!(request(&BatchForm { overwrite_mode: OverwriteMode::Keep, ..both }).is_ok());
}

#[test]
fn blank_tag_rows_are_not_tags() {
    let rows = |rows: &[(&str, &str)]| BatchForm {
        tags: rows.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..BatchForm::default()
    };
    let job = static_job(&rows(&[("", " "), ("site", "osaka"), (" ", "")]));
    assert_eq!(
        job.policy.tags.iter().map(|t| (t.key.as_str(), t.value.as_str())).collect::<Vec<_>>(),
        [("site", "osaka")]
    );
    assert_eq!(
        problems(&rows(&[("", ""), ("", "osaka")])),
        [("Tag.2.Key".into(), Rule::Missing)],
        "half a row is checked"
    );
}

#[test]
fn tags_follow_the_servers_rules() {
    let rows = |rows: Vec<(String, String)>| BatchForm { tags: rows, ..BatchForm::default() };
    let twice = rows(vec![("wave".into(), "1".into()), ("wave".into(), "2".into())]);
    assert_eq!(problems(&twice), [("Tag.2.Key".into(), Rule::Duplicate { value: "wave".into() })]);
    let eleven = rows((0..11).map(|i| (format!("k{i}"), "v".into())).collect());
    assert_eq!(problems(&eleven), [("Tag.N".into(), Rule::TooMany { max: 10 })]);
    let on_verify = BatchForm { tags: vec![("bad key".into(), "v".into())], ..verify("meter-0001") };
    assert_eq!(problems(&on_verify), [("Tag.1.Key".into(), Rule::Character { bad: ' ' })]);
}

// ---- safety ----------------------------------------------------------------------------------

fn safe(edit: impl FnOnce(&mut SafetyForm)) -> BatchForm {
    let mut form = BatchForm::default();
    edit(&mut form.safety);
    form
}

#[test]
fn safety_is_off_until_switched_on() {
    let job = static_job(&BatchForm::default());
    assert!(job.policy.safety.is_empty());
}

#[test]
fn waves_are_written_as_shares_or_counts_and_checked_by_the_servers_rules() {
    let staged = static_job(&safe(|s| s.waves_on = true));
    let waves = staged.policy.safety.waves.unwrap();
    assert_eq!(waves.split(1000), [10, 100, 500, 390], "1 %, 10 %, 50 % and the rest");
    let counted = static_job(&safe(|s| {
        s.waves_on = true;
        s.waves = "20，200".into();
        s.promotion = crate::job::safety::waves::PromotionMode::Manual;
    }));
    assert_eq!(counted.policy.safety.waves.unwrap().split(1000), [20, 200, 780]);
    let bad = safe(|s| {
        s.waves_on = true;
        s.waves = "1%, lots".into();
        s.success_rate = "120".into();
    });
    assert_eq!(params_at_fault(&bad), ["Wave.2.Count"], "waves name their first problem");
    assert_eq!(
        params_at_fault(&safe(|s| {
            s.waves_on = true;
            s.waves = " ".into()
        })),
        ["Wave.1.Percent"]
    );
    let dynamic = BatchForm { kind: BatchKind::Dynamic, src_versions: "1.0".into(), ..safe(|s| s.waves_on = true) };
    assert!(request(&dynamic).is_ok(), "a dynamic batch has no waves: the field does not apply");
}

#[test]
fn a_pause_rule_counts_the_failures_chosen_and_needs_one() {
    let rule = static_job(&safe(|s| s.pause_on = true)).policy.safety.pause.unwrap();
    assert_eq!((rule.failure_rate.to_string(), rule.sample, rule.min_sample), ("5".into(), 50, 20));
    assert_eq!(rule.reasons.len(), 6);
    let flashing = safe(|s| {
        s.pause_on = true;
        s.reasons = vec![TaskReason::FlashFailed];
    });
    assert_eq!(static_job(&flashing).policy.safety.pause.unwrap().reasons, [TaskReason::FlashFailed]);
    assert_eq!(
        params_at_fault(&safe(|s| {
            s.pause_on = true;
            s.reasons.clear()
        })),
        ["PauseReason.1"]
    );
    assert_eq!(
        params_at_fault(&safe(|s| {
            s.pause_on = true;
            s.min_sample = "60".into()
        })),
        ["PauseMinSample"]
    );
}

#[test]
fn windows_need_days_and_times() {
    let windows = static_job(&safe(|s| s.windows_on = true)).policy.safety.windows.unwrap();
    assert_eq!(windows.windows[0].days.to_string(), "TUE,WED,THU");
    let no_days = safe(|s| {
        s.windows_on = true;
        s.windows[0].days = [false; 7];
    });
    assert_eq!(params_at_fault(&no_days), ["MaintenanceWindow.1.Days"]);
    let same = safe(|s| {
        s.windows_on = true;
        s.windows[0].end = "01:00".into();
    });
    assert_eq!(params_at_fault(&same), ["MaintenanceWindow.1.End"]);
}
