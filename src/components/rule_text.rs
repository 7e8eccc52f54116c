//! A broken validation rule (`ota_model::Rule`) in the user's words, for beside a form field.

use ota_model::{ParamError, Rule};

use ota_model::display;

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
        // Rules without a shape of their own keep the API's English explanation.
        Rule::Other => problem.message.clone(),
    }
}
