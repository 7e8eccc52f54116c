//! Creating, changing and deleting update packages (§3.2–3.4).

use serde::{Deserialize, Serialize};

use crate::enums::{FirmwareType, SignMethod};
use crate::envelope::Empty;
use crate::module::DEFAULT_MODULE;
use crate::operation::Operation;
use crate::params::{ParamError, Params};
use crate::rules::{self, TextRule};
use crate::time::UtcTime;

/// Files a multi-file package may hold.
pub const MAX_FILES: usize = 20;
/// Longest custom information (`Udi`, `FirmwareUdi`).
pub const MAX_UDI_CHARS: usize = 4096;

/// A file name inside a multi-file package: 1–32 characters.
pub(crate) const FILE_NAME: TextRule = TextRule {
    min: 1,
    max: 32,
    allowed: |c| !c.is_control() && c != '/' && c != '\\',
    first: None,
    described: "anything but '/', '\\' and control characters",
    noun: "a file name",
};

/// The file(s) of a new package: one URL, or up to twenty named files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageFiles {
    Single {
        url: String,
        /// Checked against the stored file; defaults to its digest.
        sign: Option<String>,
        /// Checked against the stored file; defaults to its size.
        size: Option<u64>,
    },
    Multi(Vec<NewPackageFile>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPackageFile {
    pub name: String,
    pub url: String,
    pub size: Option<u64>,
    pub sign_value: Option<String>,
    pub file_md5: Option<String>,
}

/// Creates an update package from uploaded file(s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOTAFirmware {
    pub product_key: String,
    pub firmware_name: String,
    pub dest_version: String,
    pub firmware_type: FirmwareType,
    /// Differential packages only, and then required.
    pub src_version: Option<String>,
    pub module_name: String,
    pub sign_method: SignMethod,
    pub files: PackageFiles,
    pub firmware_desc: Option<String>,
    pub need_to_verify: bool,
    pub udi: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirmwareCreated {
    pub firmware_id: String,
    pub utc_create: UtcTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOTAFirmwareResponse {
    pub data: FirmwareCreated,
}

impl Operation for CreateOTAFirmware {
    const ACTION: &'static str = "CreateOTAFirmware";
    type Response = CreateOTAFirmwareResponse;

    fn to_params(&self) -> Params {
        let mut params = Params::new()
            .with("ProductKey", &self.product_key)
            .with("FirmwareName", &self.firmware_name)
            .with("DestVersion", &self.dest_version)
            .with("Type", self.firmware_type)
            .with_opt("SrcVersion", self.src_version.as_deref())
            .with("ModuleName", &self.module_name)
            .with("SignMethod", self.sign_method)
            .with_opt("FirmwareDesc", self.firmware_desc.as_deref())
            .with("NeedToVerify", self.need_to_verify)
            .with_opt("Udi", self.udi.as_deref());
        match &self.files {
            PackageFiles::Single { url, sign, size } => {
                params = params
                    .with("FirmwareUrl", url)
                    .with_opt("FirmwareSign", sign.as_deref())
                    .with_opt("FirmwareSize", *size);
            }
            PackageFiles::Multi(files) => {
                for (i, file) in files.iter().enumerate() {
                    let prefix = format!("MultiFiles.{}", i + 1);
                    params = params
                        .with(&format!("{prefix}.Name"), &file.name)
                        .with(&format!("{prefix}.Url"), &file.url)
                        .with_opt(&format!("{prefix}.Size"), file.size)
                        .with_opt(&format!("{prefix}.SignValue"), file.sign_value.as_deref())
                        .with_opt(&format!("{prefix}.FileMd5"), file.file_md5.as_deref());
                }
            }
        }
        params
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        let dest_version = rules::VERSION.required(params, "DestVersion")?.to_owned();
        let firmware_type = params.parse::<FirmwareType>("Type")?.unwrap_or(FirmwareType::Full);
        let src_version = rules::VERSION.optional(params, "SrcVersion")?.map(str::to_owned);
        let src_version = match (firmware_type, src_version) {
            (FirmwareType::Differential, None) => return Err(ParamError::missing("SrcVersion")),
            (FirmwareType::Differential, Some(src)) if src == dest_version => {
                return Err(ParamError::invalid(
                    "SrcVersion",
                    "a differential package's source must differ from its destination",
                ));
            }
            (_, src) => src,
        };
        Ok(Self {
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            firmware_name: rules::FIRMWARE_NAME.required(params, "FirmwareName")?.to_owned(),
            dest_version,
            firmware_type,
            src_version,
            module_name: rules::MODULE_NAME.optional(params, "ModuleName")?.unwrap_or(DEFAULT_MODULE).to_owned(),
            sign_method: params.parse::<SignMethod>("SignMethod")?.unwrap_or(SignMethod::Md5),
            files: package_files(params)?,
            firmware_desc: rules::DESCRIPTION.optional(params, "FirmwareDesc")?.map(str::to_owned),
            need_to_verify: params.flag("NeedToVerify")?.unwrap_or(true),
            udi: params.text("Udi", MAX_UDI_CHARS)?.map(str::to_owned),
        })
    }
}

fn package_files(params: &Params) -> Result<PackageFiles, ParamError> {
    let records = params.records("MultiFiles", MAX_FILES)?;
    let single = params.get("FirmwareUrl");
    match (single, records.is_empty()) {
        (Some(_), false) => Err(ParamError::invalid("FirmwareUrl", "give FirmwareUrl or MultiFiles.N, not both")),
        (None, true) => Err(ParamError::missing("FirmwareUrl")),
        (Some(url), true) => Ok(PackageFiles::Single {
            url: url.to_owned(),
            sign: params.text("FirmwareSign", 128)?.map(str::to_owned),
            size: params.parse::<u64>("FirmwareSize")?,
        }),
        (None, false) => {
            let mut files: Vec<NewPackageFile> = Vec::with_capacity(records.len());
            for record in &records {
                let name_param = format!("MultiFiles.{}.Name", record.index);
                let name = record.get("Name").ok_or_else(|| ParamError::missing(&name_param))?;
                FILE_NAME.check(&name_param, name)?;
                if files.iter().any(|f| f.name == name) {
                    return Err(ParamError::invalid(&name_param, format!("two files are named '{name}'")));
                }
                let url_param = format!("MultiFiles.{}.Url", record.index);
                let size = record
                    .get("Size")
                    .map(|s| {
                        s.parse::<u64>()
                            .map_err(|e| ParamError::invalid(&format!("MultiFiles.{}.Size", record.index), e))
                    })
                    .transpose()?;
                files.push(NewPackageFile {
                    name: name.to_owned(),
                    url: record.get("Url").ok_or_else(|| ParamError::missing(&url_param))?.to_owned(),
                    size,
                    sign_value: record.get("SignValue").map(str::to_owned),
                    file_md5: record.get("FileMd5").map(str::to_owned),
                });
            }
            Ok(PackageFiles::Multi(files))
        }
    }
}

/// Changes a package's name, description and custom information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifyOTAFirmware {
    pub firmware_id: String,
    pub product_key: String,
    pub firmware_name: Option<String>,
    pub firmware_desc: Option<String>,
    /// Note the name: `Udi` on create, `FirmwareUdi` here.
    pub firmware_udi: Option<String>,
}

impl Operation for ModifyOTAFirmware {
    const ACTION: &'static str = "ModifyOTAFirmware";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new()
            .with("FirmwareId", &self.firmware_id)
            .with("ProductKey", &self.product_key)
            .with_opt("FirmwareName", self.firmware_name.as_deref())
            .with_opt("FirmwareDesc", self.firmware_desc.as_deref())
            .with_opt("FirmwareUdi", self.firmware_udi.as_deref())
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self {
            firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned(),
            product_key: rules::ID.required(params, "ProductKey")?.to_owned(),
            firmware_name: rules::FIRMWARE_NAME.optional(params, "FirmwareName")?.map(str::to_owned),
            firmware_desc: rules::DESCRIPTION.optional(params, "FirmwareDesc")?.map(str::to_owned),
            firmware_udi: params.text("FirmwareUdi", MAX_UDI_CHARS)?.map(str::to_owned),
        })
    }
}

/// Deletes a package that no unfinished batch uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteOTAFirmware {
    pub firmware_id: String,
}

impl Operation for DeleteOTAFirmware {
    const ACTION: &'static str = "DeleteOTAFirmware";
    type Response = Empty;

    fn to_params(&self) -> Params {
        Params::new().with("FirmwareId", &self.firmware_id)
    }

    fn from_params(params: &Params) -> Result<Self, ParamError> {
        Ok(Self { firmware_id: rules::ID.required(params, "FirmwareId")?.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Params {
        [("ProductKey", "a1SMtr200Qx"), ("FirmwareName", "sm200-main-4_0_0"), ("DestVersion", "4.0.0")]
            .into_iter()
            .collect()
    }

    #[test]
    fn a_package_needs_exactly_one_kind_of_file() {
        assert_eq!(CreateOTAFirmware::from_params(&base()).unwrap_err().code, "MissingFirmwareUrl");
        let both = base()
            .with("FirmwareUrl", "http://h/f.bin")
            .with("MultiFiles.1.Name", "a.bin")
            .with("MultiFiles.1.Url", "http://h/a");
        assert!(CreateOTAFirmware::from_params(&both).unwrap_err().message.contains("not both"));
    }

    #[test]
    fn defaults_are_a_full_md5_package_of_the_default_module_that_needs_verification() {
        let created = CreateOTAFirmware::from_params(&base().with("FirmwareUrl", "http://h/f.bin")).unwrap();
        assert_eq!(created.firmware_type, FirmwareType::Full);
        assert_eq!(created.sign_method, SignMethod::Md5);
        assert_eq!(created.module_name, "default");
        assert!(created.need_to_verify);
        assert_eq!(CreateOTAFirmware::from_params(&created.to_params()), Ok(created));
    }

    #[test]
    fn a_differential_package_needs_a_different_source_version() {
        let diff = base().with("FirmwareUrl", "http://h/f.bin").with("Type", 1);
        assert_eq!(CreateOTAFirmware::from_params(&diff).unwrap_err().code, "MissingSrcVersion");
        assert!(CreateOTAFirmware::from_params(&diff.clone().with("SrcVersion", "4.0.0")).is_err());
        assert!(CreateOTAFirmware::from_params(&diff.with("SrcVersion", "3.2.1")).is_ok());
    }

    #[test]
    fn multi_file_packages_have_distinct_named_files() {
        let multi = base()
            .with("MultiFiles.1.Name", "boot.bin")
            .with("MultiFiles.1.Url", "http://h/1")
            .with("MultiFiles.2.Name", "boot.bin")
            .with("MultiFiles.2.Url", "http://h/2");
        assert!(CreateOTAFirmware::from_params(&multi).unwrap_err().message.contains("two files are named"));
        let missing_url = base().with("MultiFiles.1.Name", "boot.bin");
        assert_eq!(CreateOTAFirmware::from_params(&missing_url).unwrap_err().code, "MissingMultiFiles.1.Url");
    }
}
