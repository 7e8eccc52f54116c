//! A broken validation rule (`ota_model::Rule`) in the user's words, for beside a form field.

use ota_model::{ParamError, Rule};

use ota_model::display;

use crate::format;
use crate::i18n::{FormMsg, I18n, Msg};

pub fn rule_text(i18n: I18n, problem: &ParamError) -> String {
    let n = |value: i64| value.to_string();
    match &problem.rule {
        Rule::Missing => i18n.t(Msg::RuleMissing).to_owned(),
        Rule::Length { min, max } => {
            i18n.fill(Msg::RuleLength, &[("min", &min.to_string()), ("max", &max.to_string())])
        }
        Rule::Character { bad } => i18n.fill(Msg::RuleCharacter, &[("bad", &bad.to_string())]),
        Rule::FirstCharacter { bad } => i18n.fill(Msg::RuleFirstCharacter, &[("bad", &bad.to_string())]),
        Rule::Range { min, max } => i18n.fill(Msg::RuleRange, &[("min", &n(*min)), ("max", &n(*max))]),
        Rule::TooMany { max } => i18n.fill(Msg::RuleTooMany, &[("max", &max.to_string())]),
        Rule::Duplicate { value } => i18n.fill(Msg::RuleDuplicate, &[("value", value)]),
        Rule::TotalLength { max } => i18n.fill(Msg::RuleTotalLength, &[("max", &max.to_string())]),
        Rule::OneOf { allowed } => i18n.fill(FormMsg::RuleOneOf, &[("allowed", &allowed.join(", "))]),
        Rule::TooLarge { max_bytes } => i18n.fill(FormMsg::RuleTooLarge, &[("max", &display::bytes(*max_bytes))]),
        Rule::EmptyFile => i18n.t(FormMsg::RuleEmptyFile).to_owned(),
        Rule::TimeRange { min_minutes, max_minutes, from_start } => {
            let msg = if *from_start { FormMsg::RuleTimeFromStart } else { FormMsg::RuleTimeFromNow };
            let (min, max) = (format::minutes(i18n, *min_minutes), format::minutes(i18n, *max_minutes));
            i18n.fill(msg, &[("min", &min), ("max", &max)])
        }
        Rule::NotWith { other } => i18n.fill(FormMsg::RuleNotWith, &[("other", &param_name(i18n, other))]),
        Rule::LessThan { other } => i18n.fill(FormMsg::RuleLessThan, &[("other", &param_name(i18n, other))]),
        // Rules without a shape of their own keep the API's English explanation.
        Rule::Other => problem.message.clone(),
    }
}

/// A parameter as its field is labelled, for naming it in another field's problem.
fn param_name(i18n: I18n, param: &str) -> String {
    use crate::i18n::WizardMsg;
    match param {
        "MultiModuleMode" => i18n.t(WizardMsg::MultiModuleLabel).to_owned(),
        "TimeoutInMinutes" => i18n.t(WizardMsg::TimeoutLabel).to_owned(),
        "OverwriteMode" => i18n.t(WizardMsg::OverwriteLabel).to_owned(),
        other => other.to_owned(),
    }
}
