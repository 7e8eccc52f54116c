//! Reading a parsed JSON answer into our types, as `T::deserialize(&value)` does, except that
//! a struct is only ever read from an object. serde's derive gives every struct a reader for
//! objects and one for arrays; the API never sends a struct as an array, and leaving that
//! reader unused keeps it out of the console's wasm (a copy per response type).

use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Error, Map, Number, Value};

/// `value` read as a `T`; the error says what did not fit, as serde_json's would.
pub fn from_json<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    T::deserialize(Json(value))
}

/// A JSON value being read.
struct Json<'a>(&'a Value);

impl<'de> Deserializer<'de> for Json<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Items(items.iter())),
            Value::Object(fields) => visitor.visit_map(Fields::new(fields)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(fields) => visitor.visit_map(Fields::new(fields)),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Enums are read as serde_json reads them: one copy of their reader either way.
        self.0.deserialize_enum(name, variants, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

fn number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// An array's items, each read as a [`Json`].
struct Items<'a>(std::slice::Iter<'a, Value>);

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|item| seed.deserialize(Json(item))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's fields: each name, then its value read as a [`Json`].
struct Fields<'a> {
    fields: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'a> Fields<'a> {
    fn new(fields: &'a Map<String, Value>) -> Self {
        Self { fields: fields.iter(), value: None }
    }
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((name, value)) = self.fields.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let name: StrDeserializer<'_, Error> = name.as_str().into_deserializer();
        seed.deserialize(name).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Json(value)),
            None => Err(de::Error::custom("a value was read before its name")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::from_json;
    use crate::enums::JobStatus;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Answer {
        job_id: String,
        job_status: JobStatus,
        retry_count: Option<u32>,
        rate: f64,
        offset: i64,
        tags: Vec<Tag>,
        missing: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Tag {
        #[serde(rename = "Key")]
        key: String,
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let wire = json!({
            "JobId": "j1", "JobStatus": "IN_PROGRESS", "RetryCount": null, "Rate": 0.5, "Offset": -3,
            "Tags": [{"Key": "a"}, {"Key": "b", "Ignored": [1, {"x": null}]}], "Unknown": {"Nested": true}
        });
        let ours: Answer = from_json(&wire).unwrap();
        assert_eq!(ours, serde_json::from_value::<Answer>(wire).unwrap());
        assert_eq!(ours.tags.len(), 2);
        assert_eq!(ours.job_status, JobStatus::InProgress);
    }

    #[test]
    fn says_what_did_not_fit() {
        let wrong_type = json!({"JobId": 7, "JobStatus": "IN_PROGRESS", "Rate": 1, "Offset": 0, "Tags": []});
        assert!(from_json::<Answer>(&wrong_type).unwrap_err().to_string().contains("expected a string"));
        let unknown_status = json!({"JobId": "j", "JobStatus": "NAPPING", "Rate": 1, "Offset": 0, "Tags": []});
        assert!(from_json::<Answer>(&unknown_status).unwrap_err().to_string().contains("NAPPING"));
        let missing = json!({"JobStatus": "IN_PROGRESS", "Rate": 1, "Offset": 0, "Tags": []});
        assert!(from_json::<Answer>(&missing).unwrap_err().to_string().contains("JobId"));
    }

    #[test]
    fn a_struct_is_never_read_from_an_array() {
        let as_array = json!(["j1", "IN_PROGRESS", null, 0.5, 0, [], null]);
        assert!(serde_json::from_value::<Answer>(as_array.clone()).is_ok());
        assert!(from_json::<Answer>(&as_array).unwrap_err().to_string().contains("invalid type: sequence"));
    }
}
