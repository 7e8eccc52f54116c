//! The batch form's rules, each accepted and refused. Helpers here; the targets (devices,
//! versions, schedule) and the policy have their own files.

mod policy;
mod targets;

use super::*;
use crate::params::Rule;

const MINUTE: i64 = 60_000;

fn now() -> UtcTime {
    UtcTime::from_millis(1_800_000_000_000).unwrap()
}

fn request(form: &BatchForm) -> Result<NewBatch, Vec<ParamError>> {
    form.request("fw1", "pk1", now())
}

/// The parameters the form breaks, with the rules, in the order found.
fn problems(form: &BatchForm) -> Vec<(String, Rule)> {
    let found = request(form).expect_err("the form should be refused");
    found.into_iter().map(|p| (p.param.unwrap_or_default(), p.rule)).collect()
}

fn params_at_fault(form: &BatchForm) -> Vec<String> {
    problems(form).into_iter().map(|(param, _)| param).collect()
}

fn static_job(form: &BatchForm) -> CreateOTAStaticUpgradeJob {
    match request(form) {
        Ok(NewBatch::Static(job)) => job,
        other => panic!("not a static batch: {other:?}"),
    }
}

fn verify(device_names: &str) -> BatchForm {
    BatchForm { kind: BatchKind::Verify, device_names: device_names.into(), ..BatchForm::default() }
}

fn scoped(scope: Scope) -> BatchForm {
    BatchForm { scope, ..BatchForm::default() }
}

fn dynamic(src_versions: &str) -> BatchForm {
    BatchForm { kind: BatchKind::Dynamic, src_versions: src_versions.into(), ..BatchForm::default() }
}

fn names(count: usize) -> String {
    (1..=count).map(|i| format!("meter-{i:04}")).collect::<Vec<_>>().join("\n")
}

// ---- defaults and what is sent -------------------------------------------------------------

#[test]
fn a_new_form_is_a_cautious_static_batch_of_every_device() {
    let job = static_job(&BatchForm::default());
    assert_eq!(job.target, StaticTarget::All);
    assert_eq!((job.firmware_id.as_str(), job.product_key.as_str()), ("fw1", "pk1"));
    assert_eq!(job.policy, JobPolicy { maximum_per_minute: DEFAULT_PER_MINUTE, ..JobPolicy::default() });
    assert_eq!(job.schedule, Schedule::default(), "it starts at once");
    assert!(!job.dry_run);
}

#[test]
fn what_the_form_accepts_the_server_reads_back_the_same() {
    let forms = [
        BatchForm {
            need_confirm: true,
            timeout_in_minutes: "90".into(),
            tags: vec![("wave".into(), "1".into())],
            ..verify("meter-0001")
        },
        BatchForm {
            src_versions: "3.0.0".into(),
            rate_type: RateType::Variable,
            retry_interval: Some(RetryInterval::TenMinutes),
            overwrite_mode: OverwriteMode::Overwrite,
            scheduled: true,
            schedule_start_ms: Some(now().millis() + 60 * MINUTE),
            ..scoped(Scope::Gray)
        },
        BatchForm { dynamic_mode: DynamicMode::NewReportsOnly, multi_module_mode: true, ..dynamic("2.4.11") },
    ];
    for form in forms {
        let form = BatchForm { gray_percent: "10".into(), ..form };
        let batch = request(&form).unwrap();
        let read = match &batch {
            NewBatch::Verify(_) => CreateOTAVerifyJob::from_params(&batch.params()).map(NewBatch::Verify),
            NewBatch::Static(_) => CreateOTAStaticUpgradeJob::from_params(&batch.params()).map(NewBatch::Static),
            NewBatch::Dynamic(_) => CreateOTADynamicUpgradeJob::from_params(&batch.params()).map(NewBatch::Dynamic),
        };
        assert_eq!(read, Ok(batch));
    }
}

#[test]
fn a_request_asks_for_a_dry_run_only_when_told() {
    let batch = request(&BatchForm::default()).unwrap();
    assert_eq!(batch.action(), "CreateOTAStaticUpgradeJob");
    assert!(!batch.dry_run());
    let sends_dry_run = |batch: &NewBatch| batch.params().pairs().iter().any(|(name, _)| name == "DryRun");
    assert!(!sends_dry_run(&batch), "a plain backend hears nothing it does not know");
    let preview = batch.with_dry_run(true);
    assert!(preview.dry_run() && sends_dry_run(&preview));
    let real = preview.with_dry_run(false);
    assert!(!real.dry_run() && !sends_dry_run(&real));
    assert_eq!(request(&verify("meter-0001")).unwrap().with_dry_run(true).action(), "CreateOTAVerifyJob");
    let dynamic = request(&dynamic("2.4.11")).unwrap().with_dry_run(true);
    assert_eq!(dynamic.action(), "CreateOTADynamicUpgradeJob");
    assert!(dynamic.dry_run());
}

// ---- all at once ---------------------------------------------------------------------------

#[test]
fn every_broken_rule_is_reported_at_once() {
    let form = BatchForm {
        device_names: "meter-0001 x".into(),
        src_versions: "1.0 1/0".into(),
        scheduled: true,
        maximum_per_minute: "5".into(),
        rate_type: RateType::Variable,
        growth_factor: "7".into(),
        retry_interval: Some(RetryInterval::OneDay),
        timeout_in_minutes: "30".into(),
        overwrite_mode: OverwriteMode::Overwrite,
        multi_module_mode: true,
        tags: vec![("site".into(), String::new())],
        ..scoped(Scope::Devices)
    };
    assert_eq!(
        params_at_fault(&form),
        [
            "TargetDeviceName.2",
            "SrcVersion.2",
            "ScheduleTime",
            "MaximumPerMinute",
            "GrowthFactor",
            "RetryInterval",
            "OverwriteMode",
            "Tag.1.Value",
        ]
    );
    let found = request(&form).unwrap_err();
    assert!(found.iter().all(|p| !p.message.is_empty()), "each also says it in English");
}
