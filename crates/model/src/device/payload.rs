//! The JSON on the device topics (§6.1–6.4). Devices are lenient in what they send (`id` and
//! `step` as strings or numbers, `module` left out for `default`); we read all of that and
//! refuse anything else with a reason, never guessing.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lifecycle::Step;
use crate::rules;

/// The largest payload a device may send; anything longer is dropped unread.
pub const MAX_PAYLOAD_BYTES: usize = 8 * 1024;
/// The longest `desc` on a progress report we keep.
pub const MAX_DESC_CHARS: usize = 512;
/// The module a message means when it names none.
pub const DEFAULT_MODULE: &str = "default";

/// A message's `id`, echoed in replies as it came: a string or a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessageId {
    Number(u64),
    Text(String),
}

/// Why a payload was dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError(pub String);

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse<T>(why: impl Into<String>) -> Result<T, PayloadError> {
    Err(PayloadError(why.into()))
}

/// A string or a number, as devices write numbers.
#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    Number(i64),
    Text(String),
}

#[derive(Deserialize)]
struct Envelope<P> {
    id: Option<MessageId>,
    params: Option<P>,
}

fn read<P: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<(Option<MessageId>, P), PayloadError> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return refuse(format!("{} bytes is more than {MAX_PAYLOAD_BYTES}", bytes.len()));
    }
    let envelope: Envelope<P> = match serde_json::from_slice(bytes) {
        Ok(envelope) => envelope,
        Err(e) => return refuse(format!("not the expected JSON: {e}")),
    };
    match envelope.params {
        Some(params) => Ok((envelope.id, params)),
        None => refuse("no params"),
    }
}

fn module(given: Option<String>) -> Result<String, PayloadError> {
    match given.filter(|m| !m.is_empty()) {
        None => Ok(DEFAULT_MODULE.to_owned()),
        Some(module) => match rules::MODULE_NAME.check("module", &module) {
            Ok(()) => Ok(module),
            Err(e) => refuse(e.message),
        },
    }
}

/// `/ota/device/inform`: the version a device runs of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inform {
    pub id: Option<MessageId>,
    pub version: String,
    pub module: String,
}

impl Inform {
    pub fn parse(bytes: &[u8]) -> Result<Self, PayloadError> {
        #[derive(Deserialize)]
        struct Params {
            version: Option<String>,
            module: Option<String>,
        }
        let (id, params) = read::<Params>(bytes)?;
        let Some(version) = params.version else { return refuse("no params.version") };
        if let Err(e) = rules::VERSION.check("version", &version) {
            return refuse(e.message);
        }
        Ok(Self { id, version, module: module(params.module)? })
    }
}

/// `/ota/device/progress`: how far an update got, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressReport {
    pub id: Option<MessageId>,
    pub step: Step,
    pub desc: Option<String>,
    pub module: String,
}

impl ProgressReport {
    pub fn parse(bytes: &[u8]) -> Result<Self, PayloadError> {
        #[derive(Deserialize)]
        struct Params {
            step: Option<Loose>,
            desc: Option<String>,
            module: Option<String>,
        }
        let (id, params) = read::<Params>(bytes)?;
        let number = match params.step {
            Some(Loose::Number(n)) => n,
            Some(Loose::Text(text)) => match text.trim().parse() {
                Ok(n) => n,
                Err(_) => return refuse(format!("the step '{text}' is not a number")),
            },
            None => return refuse("no params.step"),
        };
        let Some(step) = Step::from_number(number) else {
            return refuse(format!("the step {number} is not from -4 to 100"));
        };
        let desc = params.desc.filter(|d| !d.is_empty());
        if desc.as_ref().is_some_and(|d| d.chars().count() > MAX_DESC_CHARS) {
            return refuse(format!("desc is longer than {MAX_DESC_CHARS} characters"));
        }
        Ok(Self { id, step, desc, module: module(params.module)? })
    }
}

/// `/sys/…/thing/ota/firmware/get`: a device asks for its pending update of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirmwareGet {
    pub id: Option<MessageId>,
    pub module: String,
}

impl FirmwareGet {
    pub fn parse(bytes: &[u8]) -> Result<Self, PayloadError> {
        #[derive(Deserialize)]
        struct Params {
            module: Option<String>,
        }
        let (id, params) = read::<Params>(bytes)?;
        Ok(Self { id, module: module(params.module)? })
    }
}

/// An update as a device receives it, pushed or pulled (§6.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInfo {
    pub size: u64,
    pub version: String,
    pub url: String,
    /// `1` for a differential package; left out for a full one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_diff: Option<u8>,
    pub sign: String,
    /// `Md5` or `SHA256`, as devices expect it.
    pub sign_method: String,
    /// The MD5 again, when `sign_method` is `Md5`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
    /// Left out for the `default` module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// The batch's tags, and `_package_udi` when the package has one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ext_data: BTreeMap<String, String>,
    /// A multi-file package's files, as Link SDK 4.x reads them; `size`, `url` and `sign`
    /// above repeat the first, for devices that know one file only. Left out otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<PushedFile>,
}

/// One file of a multi-file package in a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushedFile {
    pub file_name: String,
    pub file_size: u64,
    pub file_url: String,
    pub file_sign: String,
}

/// `/ota/device/upgrade`: `{"code":"1000","data":…,"id":…,"message":"success"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradePush {
    pub code: String,
    pub data: UpdateInfo,
    /// Milliseconds since the epoch, as Alibaba numbers pushes.
    pub id: u64,
    pub message: String,
}

impl UpgradePush {
    pub fn new(id: u64, data: UpdateInfo) -> Self {
        Self { code: "1000".into(), data, id, message: "success".into() }
    }
}

/// `/sys/…/thing/ota/firmware/get_reply`: the pending update, or `{}` when there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmwareGetReply {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<MessageId>,
    pub code: u16,
    pub data: Pending,
}

/// What a pull finds: an update, or nothing (`{}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Pending {
    Update(Box<UpdateInfo>),
    Nothing {},
}

impl FirmwareGetReply {
    pub fn new(id: Option<MessageId>, update: Option<UpdateInfo>) -> Self {
        Self { id, code: 200, data: update.map_or(Pending::Nothing {}, |u| Pending::Update(Box::new(u))) }
    }
}

#[cfg(test)]
#[path = "payload_tests.rs"]
mod tests;
