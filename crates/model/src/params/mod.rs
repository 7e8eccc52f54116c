//! RPC parameters: the flat `Name=value` pairs every operation is carried in, and the readers
//! that turn them into typed, validated requests.

mod error;

pub use error::{ParamError, Rule};

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

/// The parameters of one request, in the order they were given. Lists are flattened as
/// `Name.1`, `Name.2`, … and structures as `Name.1.Field`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Adds `name=value` (builder style).
    pub fn with(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.push(name, value.to_string());
        self
    }

    /// Adds `name=value` when there is a value.
    pub fn with_opt(self, name: &str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.with(name, value),
            None => self,
        }
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The first value given for `name`. An empty value counts as not given, as in the API.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, value)| key == name && !value.is_empty()).map(|(_, value)| value.as_str())
    }

    /// A parameter the operation cannot do without.
    pub fn required(&self, name: &str) -> Result<&str, ParamError> {
        self.get(name).ok_or_else(|| ParamError::missing(name))
    }

    /// A text parameter of at most `max_chars` characters.
    pub fn text(&self, name: &str, max_chars: usize) -> Result<Option<&str>, ParamError> {
        match self.get(name) {
            Some(value) if value.chars().count() > max_chars => {
                Err(ParamError::invalid(name, format!("it is longer than {max_chars} characters")))
            }
            value => Ok(value),
        }
    }

    /// A parameter of any type that parses from text (numbers, booleans, the API enums).
    pub fn parse<T>(&self, name: &str) -> Result<Option<T>, ParamError>
    where
        T: FromStr,
        T::Err: fmt::Display + 'static,
    {
        let refused = |e: T::Err| {
            // An enum's refusal names the values it takes, so a form can list them.
            let allowed = (&e as &dyn std::any::Any)
                .downcast_ref::<crate::enums::UnknownValue>()
                .map(|unknown| unknown.expected.iter().map(|value| (*value).to_owned()).collect());
            match allowed {
                Some(allowed) => ParamError::broke(name, Rule::OneOf { allowed }, e),
                None => ParamError::invalid(name, e),
            }
        };
        self.get(name).map(|value| value.trim().parse::<T>().map_err(refused)).transpose()
    }

    /// An instant, which requests carry as epoch milliseconds (`ScheduleTime=1575000000000`).
    pub fn instant(&self, name: &str) -> Result<Option<crate::UtcTime>, ParamError> {
        self.parse::<i64>(name)?
            .map(|ms| {
                crate::UtcTime::from_millis(ms).ok_or_else(|| ParamError::invalid(name, "not a time in milliseconds"))
            })
            .transpose()
    }

    /// A boolean: `true` or `false` in any letter case (Alibaba's SDKs send `True`).
    pub fn flag(&self, name: &str) -> Result<Option<bool>, ParamError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) if value.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(value) if value.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(value) => Err(ParamError::broke(
                name,
                Rule::OneOf { allowed: vec!["true".to_owned(), "false".to_owned()] },
                format!("'{value}' is neither true nor false"),
            )),
        }
    }

    /// A repeated parameter, `Name.1`, `Name.2`, …: its values in index order, at most `max`.
    /// Empty values count as not given; the first value given for an index wins.
    pub fn list(&self, name: &str, max: usize) -> Result<Vec<&str>, ParamError> {
        let mut items: Vec<(u32, &str)> = Vec::new();
        for (key, value) in &self.0 {
            let Some(index) = key.strip_prefix(name).and_then(|rest| rest.strip_prefix('.')) else {
                continue;
            };
            if index.contains('.') {
                continue;
            }
            let index = list_index(name, index)?;
            if !value.is_empty() && !items.iter().any(|(i, _)| *i == index) {
                items.push((index, value));
            }
        }
        items.sort_by_key(|(index, _)| *index);
        if items.len() > max {
            return Err(ParamError::broke(
                &format!("{name}.N"),
                Rule::TooMany { max },
                format!("at most {max} values are allowed"),
            ));
        }
        Ok(items.into_iter().map(|(_, value)| value).collect())
    }

    /// Repeated structures, `Name.1.Field`, `Name.2.Field`, …: one record per index, in index
    /// order, at most `max`.
    pub fn records(&self, name: &str, max: usize) -> Result<Vec<Record<'_>>, ParamError> {
        let mut records: Vec<Record<'_>> = Vec::new();
        for (key, value) in &self.0 {
            let Some((index, field)) =
                key.strip_prefix(name).and_then(|rest| rest.strip_prefix('.')).and_then(|rest| rest.split_once('.'))
            else {
                continue;
            };
            let index = list_index(name, index)?;
            let position = match records.iter().position(|r| r.index == index) {
                Some(position) => position,
                None => {
                    records.push(Record { index, fields: Vec::new() });
                    records.len() - 1
                }
            };
            let record = &mut records[position];
            if !value.is_empty() && record.get(field).is_none() {
                record.fields.push((field, value));
            }
        }
        records.sort_by_key(|record| record.index);
        if records.len() > max {
            let why = format!("at most {max} entries are allowed");
            return Err(ParamError::broke(&format!("{name}.N"), Rule::TooMany { max }, why));
        }
        Ok(records)
    }

    /// Adds `name.1`, `name.2`, … for `values`.
    pub fn with_list<T: fmt::Display>(mut self, name: &str, values: impl IntoIterator<Item = T>) -> Self {
        for (i, value) in values.into_iter().enumerate() {
            self.push(format!("{name}.{}", i + 1), value.to_string());
        }
        self
    }

    /// Adds `name.N.field` for each record's fields.
    pub fn with_records<'a>(mut self, name: &str, records: impl IntoIterator<Item = &'a [(&'a str, &'a str)]>) -> Self {
        for (i, fields) in records.into_iter().enumerate() {
            for (field, value) in fields {
                self.push(format!("{name}.{}.{field}", i + 1), *value);
            }
        }
        self
    }

    /// How many parameters were given.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An integer parameter within `range`.
    pub fn integer_in(&self, name: &str, range: RangeInclusive<i64>) -> Result<Option<i64>, ParamError> {
        let rule = Rule::Range { min: *range.start(), max: *range.end() };
        let number = self.parse::<i64>(name).map_err(|error| ParamError { rule, ..error })?;
        match number {
            Some(n) if !range.contains(&n) => Err(ParamError::broke(
                name,
                Rule::Range { min: *range.start(), max: *range.end() },
                format!("{n} is outside {}–{}", range.start(), range.end()),
            )),
            n => Ok(n),
        }
    }
}

/// The `N` of `Name.N`: a whole number from 1.
fn list_index(name: &str, index: &str) -> Result<u32, ParamError> {
    match index.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(ParamError::invalid(&format!("{name}.{index}"), "list items are numbered from 1 (Name.1, Name.2, …)")),
    }
}

/// One entry of a repeated structure (`Tag.2.Key=k&Tag.2.Value=v`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub index: u32,
    fields: Vec<(&'a str, &'a str)>,
}

impl<'a> Record<'a> {
    pub fn get(&self, field: &str) -> Option<&'a str> {
        self.fields.iter().find(|(name, _)| *name == field).map(|(_, value)| *value)
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TaskStatus;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().copied().collect()
    }

    #[test]
    fn an_empty_value_counts_as_missing() {
        let p = params(&[("FirmwareId", "")]);
        let err = p.required("FirmwareId").unwrap_err();
        assert_eq!(err.code, "MissingFirmwareId");
        assert_eq!(err.message, "FirmwareId is mandatory for this action.");
    }

    #[test]
    fn the_first_value_given_wins() {
        let p = params(&[("PageSize", "20"), ("PageSize", "50")]);
        assert_eq!(p.get("PageSize"), Some("20"));
    }

    #[test]
    fn malformed_numbers_and_enums_name_the_parameter() {
        let p = params(&[("PageSize", "ten"), ("TaskStatus", "DONE")]);
        let err = p.parse::<u32>("PageSize").unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(err.message.starts_with("The parameter PageSize is invalid"), "{}", err.message);
        let err = p.parse::<TaskStatus>("TaskStatus").unwrap_err();
        assert!(err.message.contains("'DONE' is not one of CONFIRM"), "{}", err.message);
    }

    #[test]
    fn integers_outside_their_range_are_refused() {
        let p = params(&[("TimeoutInMinutes", "1441")]);
        let err = p.integer_in("TimeoutInMinutes", 1..=1440).unwrap_err();
        assert_eq!(err.message, "The parameter TimeoutInMinutes is invalid: 1441 is outside 1–1440.");
    }

    #[test]
    fn booleans_come_in_any_letter_case() {
        let p = params(&[("NeedPush", "True"), ("NeedConfirm", "false"), ("MultiModuleMode", "yes")]);
        assert_eq!(p.flag("NeedPush"), Ok(Some(true)));
        assert_eq!(p.flag("NeedConfirm"), Ok(Some(false)));
        assert_eq!(p.flag("Absent"), Ok(None));
        assert!(p.flag("MultiModuleMode").unwrap_err().message.contains("'yes' is neither true nor false"));
    }

    #[test]
    fn lists_are_read_in_index_order_and_capped() {
        let p = params(&[
            ("TargetDeviceName.2", "b"),
            ("TargetDeviceName.10", "c"),
            ("TargetDeviceName.1", "a"),
            ("TargetDeviceName.1", "ignored"),
            ("TargetDeviceNames.1", "other list"),
            ("TargetDeviceName.3", ""),
        ]);
        assert_eq!(p.list("TargetDeviceName", 10), Ok(vec!["a", "b", "c"]));
        let err = p.list("TargetDeviceName", 2).unwrap_err();
        assert_eq!(err.message, "The parameter TargetDeviceName.N is invalid: at most 2 values are allowed.");
        let bad = params(&[("SrcVersion.first", "1.0")]);
        assert!(bad.list("SrcVersion", 10).unwrap_err().message.contains("SrcVersion.first"));
        assert!(params(&[("SrcVersion.0", "1.0")]).list("SrcVersion", 10).is_err());
    }

    #[test]
    fn records_group_fields_by_index() {
        let p = params(&[("Tag.2.Key", "site"), ("Tag.1.Value", "v1"), ("Tag.1.Key", "k1"), ("Tag.2.Value", "osaka")]);
        let tags = p.records("Tag", 10).unwrap();
        let pairs: Vec<_> = tags.iter().map(|t| (t.get("Key"), t.get("Value"))).collect();
        assert_eq!(pairs, [(Some("k1"), Some("v1")), (Some("site"), Some("osaka"))]);
    }

    #[test]
    fn lists_and_records_survive_the_trip_through_parameters() {
        let written = Params::new()
            .with_list("SrcVersion", ["1.0", "1.1"])
            .with_records("Tag", [&[("Key", "a"), ("Value", "1")][..], &[("Key", "b"), ("Value", "2")][..]]);
        assert_eq!(written.list("SrcVersion", 10), Ok(vec!["1.0", "1.1"]));
        let tags = written.records("Tag", 10).unwrap();
        assert_eq!(tags[1].get("Value"), Some("2"));
    }

    #[test]
    fn text_longer_than_allowed_is_refused_counting_characters_not_bytes() {
        let p = params(&[("FirmwareDesc", "更新パッケージ")]);
        assert_eq!(p.text("FirmwareDesc", 7).unwrap(), Some("更新パッケージ"));
        assert!(p.text("FirmwareDesc", 6).is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_list_written_is_read_back_in_order(values in prop::collection::vec("[^\\x00]{1,20}", 0..50)) {
                let written = Params::new().with_list("DeviceName", &values);
                let read = written.list("DeviceName", 200).unwrap();
                prop_assert_eq!(read, values.iter().map(String::as_str).collect::<Vec<_>>());
            }

            #[test]
            fn order_of_arrival_does_not_matter(indexed in prop::collection::btree_map(1u32..500, "[a-z0-9]{1,8}", 0..40), seed in any::<u64>()) {
                let mut pairs: Vec<(String, String)> =
                    indexed.iter().map(|(i, v)| (format!("SrcVersion.{i}"), v.clone())).collect();
                // A deterministic shuffle, and unrelated parameters in between.
                pairs.sort_by_key(|(key, _)| (key.len() as u64).wrapping_mul(seed) ^ seed);
                pairs.push(("Other.1".into(), "x".into()));
                let params: Params = pairs.into_iter().collect();
                let read = params.list("SrcVersion", 1000).unwrap();
                let expected: Vec<String> = indexed.into_values().collect();
                prop_assert_eq!(read, expected);
            }

            #[test]
            fn numbers_in_range_parse_and_others_are_refused(n in any::<i64>()) {
                let p: Params = [("TimeoutInMinutes", n.to_string())].into_iter().collect();
                let read = p.integer_in("TimeoutInMinutes", 1..=1440);
                prop_assert_eq!(read.is_ok(), (1..=1440).contains(&n));
            }

            #[test]
            fn booleans_parse_in_every_letter_case(upper in prop::collection::vec(any::<bool>(), 5), value in any::<bool>()) {
                let text: String = value.to_string().chars().zip(upper.iter().cycle())
                    .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c }).collect();
                let p: Params = [("NeedPush", text)].into_iter().collect();
                prop_assert_eq!(p.flag("NeedPush"), Ok(Some(value)));
            }

            #[test]
            fn no_input_makes_the_decoder_panic(pairs in prop::collection::vec(("[A-Za-z.0-9]{0,12}", ".{0,12}"), 0..30)) {
                let p: Params = pairs.into_iter().collect();
                let _ = p.list("Tag", 10);
                let _ = p.records("Tag", 10);
                let _ = p.flag("NeedPush");
                let _ = p.integer_in("PageSize", 1..=100);
                let _ = crate::PageRequest::from_params(&p, 100);
            }
        }
    }

    #[test]
    fn an_enum_or_flag_refusal_lists_the_values_it_takes() {
        let p = params(&[("TaskStatus", "DONE"), ("NeedPush", "yes"), ("PageSize", "x")]);
        let status = p.parse::<TaskStatus>("TaskStatus").unwrap_err();
        assert!(matches!(&status.rule, Rule::OneOf { allowed } if allowed.contains(&"SUCCEEDED".to_owned())));
        let flag = p.flag("NeedPush").unwrap_err();
        assert_eq!(flag.rule, Rule::OneOf { allowed: vec!["true".into(), "false".into()] });
        // Anything else keeps its own explanation.
        assert_eq!(p.parse::<u32>("PageSize").unwrap_err().rule, Rule::Other);
    }
}
