//! Editing a running batch (§7.5) from a form: what may change, as the operator typed it,
//! checked field by field with the rules the server applies to UpdateOTAJob.

use super::rate::{Growth, GrowthOn, PushRate, RateParams, RateType};
use super::{OTAJobInfo, UpdateOTAJob, policy};
use crate::enums::SelectionType;
use crate::operation::Operation;
use crate::params::{ParamError, Params};

/// A running batch's changeable values, as text in a form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BatchEdit {
    pub maximum_per_minute: String,
    /// Variable rates only.
    pub start_per_minute: String,
    pub growth_factor: String,
    pub growth_every: String,
    /// The whole set: UpdateOTAJob replaces the batch's tags with what it is sent.
    pub tags: Vec<(String, String)>,
    /// Dynamic batches only; applies to devices taken on afterwards.
    pub timeout_in_minutes: String,
    /// Dynamic batches only, separated by commas or new lines; blank leaves them as they are.
    pub src_versions: String,
}

/// Which of the form's parts apply to a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Editable {
    pub variable_rate: bool,
    pub dynamic: bool,
}

impl Editable {
    pub fn of(job: &OTAJobInfo) -> Self {
        Self {
            variable_rate: job.rate_type == Some(RateType::Variable),
            dynamic: job.summary.selection_type == SelectionType::Dynamic,
        }
    }
}

impl BatchEdit {
    /// The form as the batch is now.
    pub fn of(job: &OTAJobInfo) -> Self {
        let text = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        let tags = job.summary.tags.as_ref().map(|t| t.items.clone()).unwrap_or_default();
        Self {
            maximum_per_minute: text(job.maximum_per_minute),
            start_per_minute: text(job.start_per_minute),
            growth_factor: job.growth_factor.clone().unwrap_or_default(),
            growth_every: text(job.growth_every),
            tags: tags.into_iter().map(|tag| (tag.key, tag.value)).collect(),
            timeout_in_minutes: text(job.timeout_in_minutes),
            src_versions: job.src_versions.as_ref().map(|v| v.items.join(", ")).unwrap_or_default(),
        }
    }

    /// The request for `job`, or every rule the form breaks, each naming its parameter
    /// (`MaximumPerMinute`, `Tags.2.Value`, …).
    pub fn request(&self, job: &OTAJobInfo) -> Result<UpdateOTAJob, Vec<ParamError>> {
        let editable = Editable::of(job);
        let params = self.params(job, editable);
        let mut problems = Vec::new();
        let mut check = |outcome: Result<(), ParamError>| {
            if let Err(problem) = outcome {
                problems.push(problem);
            }
        };
        let maximum = policy::maximum_per_minute(&params)
            .and_then(|max| max.ok_or_else(|| ParamError::missing("MaximumPerMinute")));
        check(maximum.as_ref().map(drop).map_err(Clone::clone));
        if editable.variable_rate {
            let rate = RateParams::from_params(&params);
            check(rate.as_ref().map(drop).map_err(Clone::clone));
            if let (Ok(rate), Ok(maximum)) = (rate, &maximum) {
                check(current_rate(job).and_then(|now| now.edited(&rate, *maximum)).map(drop));
            }
        }
        check(policy::tags(&params, "Tags").map(drop));
        if editable.dynamic {
            check(policy::timeout(&params).map(drop));
            check(policy::versions(&params, "SrcVersionList").map(drop));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        UpdateOTAJob::from_params(&params).map_err(|problem| vec![problem])
    }

    /// The form as UpdateOTAJob's parameters, blank fields left out.
    fn params(&self, job: &OTAJobInfo, editable: Editable) -> Params {
        let mut params = Params::new()
            .with("JobId", &job.summary.job_id)
            .with("UpgradeType", job.summary.selection_type)
            .with("MaximumPerMinute", self.maximum_per_minute.trim());
        if editable.variable_rate {
            params = params
                .with("StartPerMinute", self.start_per_minute.trim())
                .with("GrowthFactor", self.growth_factor.trim())
                .with("GrowthEvery", self.growth_every.trim());
        }
        for (i, (key, value)) in self.tags.iter().enumerate() {
            // A row left wholly blank is no tag; a half-filled one is checked as given.
            if key.trim().is_empty() && value.trim().is_empty() {
                continue;
            }
            params.push(format!("Tags.{}.Key", i + 1), key.trim());
            params.push(format!("Tags.{}.Value", i + 1), value.trim());
        }
        if editable.dynamic {
            params = params.with("TimeoutInMinutes", self.timeout_in_minutes.trim());
            let versions = self.src_versions.split([',', '\n']).map(str::trim).filter(|v| !v.is_empty());
            params = params.with_list("SrcVersionList", versions);
        }
        params
    }
}

/// The batch's rate as it runs now, for checking the edit against it.
fn current_rate(job: &OTAJobInfo) -> Result<PushRate, ParamError> {
    match (job.rate_type, job.start_per_minute, job.growth_factor.as_deref(), job.growth_every) {
        (Some(RateType::Variable), Some(start_per_minute), Some(factor), Some(every)) => {
            let factor = factor.parse().map_err(|e| ParamError::invalid("GrowthFactor", e))?;
            Ok(PushRate::Variable(Growth {
                start_per_minute,
                factor,
                every,
                on: job.growth_on.unwrap_or(GrowthOn::Notified),
            }))
        }
        _ => Ok(PushRate::Constant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Rule;

    fn job(dynamic: bool, variable: bool) -> OTAJobInfo {
        let mut json = serde_json::json!({
            "JobId": "j1", "FirmwareId": "f1", "ProductKey": "pk", "JobStatus": "IN_PROGRESS",
            "JobType": "UPGRADE_FIRMWARE", "SelectionType": if dynamic { "DYNAMIC" } else { "STATIC" },
            "TargetSelection": "ALL", "UtcCreate": "2026-11-26T00:00:00.000Z", "UtcModified": "2026-11-26T00:00:00.000Z",
            "MaximumPerMinute": 500, "TimeoutInMinutes": 60,
            "Tags": {"OtaTagDTO": [{"Key": "wave", "Value": "1"}, {"Key": "site", "Value": "osaka"}]},
        });
        if variable {
            for (key, value) in [
                ("RateType", serde_json::json!("VARIABLE")),
                ("StartPerMinute", 20.into()),
                ("GrowthFactor", "1.5".into()),
                ("GrowthEvery", 100.into()),
                ("GrowthOn", "SUCCEEDED".into()),
            ] {
                json[key] = value;
            }
        }
        serde_json::from_value(json).unwrap()
    }

    fn problems(edit: &BatchEdit, job: &OTAJobInfo) -> Vec<(String, Rule)> {
        edit.request(job).unwrap_err().into_iter().map(|p| (p.param.unwrap_or_default(), p.rule)).collect()
    }

    #[test]
    fn the_form_starts_from_the_batch_and_sends_every_tag_back() {
        let job = job(false, false);
        let mut edit = BatchEdit::of(&job);
        assert_eq!(edit.maximum_per_minute, "500");
        edit.tags[0].1 = "2".into();
        let request = edit.request(&job).unwrap();
        assert_eq!(request.maximum_per_minute, 500);
        let tags: Vec<_> = request.tags.iter().map(|t| (t.key.as_str(), t.value.as_str())).collect();
        assert_eq!(tags, [("wave", "2"), ("site", "osaka")], "the tag not touched survives");
        assert_eq!(request.timeout_in_minutes, None, "a static batch's timeout is not sent");
    }

    #[test]
    fn every_broken_rule_is_named_by_its_field_at_once() {
        let job = job(false, false);
        let mut edit = BatchEdit::of(&job);
        edit.maximum_per_minute = "5".into();
        edit.tags.push(("wave".into(), "3".into()));
        edit.tags.push(("bad key".into(), "x".into()));
        let found = problems(&edit, &job);
        assert_eq!(found[0], ("MaximumPerMinute".into(), Rule::Range { min: 10, max: 10_000 }));
        assert_eq!(found[1].0, "Tags.3.Key");
        assert_eq!(found[1].1, Rule::Duplicate { value: "wave".into() });
        edit.tags.pop();
        edit.tags.pop();
        edit.tags.push(("note".into(), String::new()));
        edit.maximum_per_minute = String::new();
        let found = problems(&edit, &job);
        assert_eq!(found[0], ("MaximumPerMinute".into(), Rule::Missing));
        assert_eq!(found[1], ("Tags.3.Value".into(), Rule::Missing));
    }

    #[test]
    fn blank_tag_rows_are_dropped_and_eleven_tags_are_too_many() {
        let job = job(false, false);
        let mut edit = BatchEdit::of(&job);
        edit.tags.push((" ".into(), String::new()));
        assert_eq!(edit.request(&job).unwrap().tags.len(), 2);
        edit.tags = (0..11).map(|i| (format!("k{i}"), "v".into())).collect();
        assert_eq!(problems(&edit, &job), [("Tags.N".into(), Rule::TooMany { max: 10 })]);
    }

    #[test]
    fn a_dynamic_batch_also_changes_its_timeout_and_source_versions() {
        let job = job(true, false);
        let mut edit = BatchEdit::of(&job);
        edit.timeout_in_minutes = "120".into();
        edit.src_versions = "1.0.0, 1.0.1\n1.0.2".into();
        let request = edit.request(&job).unwrap();
        assert_eq!(request.timeout_in_minutes, Some(120));
        assert_eq!(request.src_versions, ["1.0.0", "1.0.1", "1.0.2"]);
        edit.timeout_in_minutes = "0".into();
        edit.src_versions = "1.0.0, 1.0.0".into();
        let fields: Vec<String> = problems(&edit, &job).into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["TimeoutInMinutes", "SrcVersionList.2"]);
    }

    #[test]
    fn a_variable_rate_keeps_its_type_and_its_values_are_checked() {
        let job = job(false, true);
        let mut edit = BatchEdit::of(&job);
        assert_eq!((edit.start_per_minute.as_str(), edit.growth_factor.as_str()), ("20", "1.5"));
        edit.start_per_minute = "40".into();
        let request = edit.request(&job).unwrap();
        assert_eq!(request.rate.start_per_minute, Some(40));
        edit.start_per_minute = "900".into();
        assert!(!problems(&edit, &job).is_empty(), "the start may not exceed the maximum");
        edit.start_per_minute = "40".into();
        edit.growth_factor = "9".into();
        assert_eq!(problems(&edit, &job)[0].0, "GrowthFactor");
    }
}
