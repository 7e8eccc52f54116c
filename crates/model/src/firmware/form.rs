//! Creating a package from a form (§3.2): the fields as typed and the files as chosen,
//! checked with CreateOTAFirmware's own rules before anything is hashed or uploaded, and
//! turned into the request once every file is uploaded.

use super::edit::{CreateOTAFirmware, MAX_FILES, MAX_UDI_CHARS};
use crate::digest::Digests;
use crate::enums::{FileSuffix, FirmwareType, SignMethod};
use crate::module::DEFAULT_MODULE;
use crate::operation::Operation;
use crate::params::{ParamError, Params, Rule};
use crate::rules;
use crate::upload::MAX_FIRMWARE_FILE_BYTES;

/// A new package as the operator fills it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageForm {
    pub product_key: String,
    pub firmware_name: String,
    pub dest_version: String,
    pub firmware_type: FirmwareType,
    /// Differential packages only.
    pub src_version: String,
    /// Blank means the default module.
    pub module_name: String,
    pub sign_method: SignMethod,
    pub firmware_desc: String,
    pub need_to_verify: bool,
    pub udi: String,
    pub files: Vec<ChosenFile>,
}

/// A file picked in the browser, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenFile {
    pub name: String,
    pub size: u64,
}

/// A file stored by the backend: where, and what the browser computed over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    pub name: String,
    pub url: String,
    pub digests: Digests,
}

impl Default for PackageForm {
    fn default() -> Self {
        Self {
            product_key: String::new(),
            firmware_name: String::new(),
            dest_version: String::new(),
            firmware_type: FirmwareType::Full,
            src_version: String::new(),
            module_name: String::new(),
            sign_method: SignMethod::Md5,
            firmware_desc: String::new(),
            need_to_verify: true,
            udi: String::new(),
            files: Vec::new(),
        }
    }
}

impl PackageForm {
    /// Whether the package has several files (sent as `MultiFiles.N`).
    pub fn is_multi_file(&self) -> bool {
        self.files.len() > 1
    }

    /// Every rule the form breaks as it stands, before any file is read.
    pub fn problems(&self) -> Vec<ParamError> {
        let uploads: Vec<UploadedFile> = self
            .files
            .iter()
            .map(|file| UploadedFile {
                name: file.name.clone(),
                url: format!("pending:{}", file.name),
                digests: Digests { bytes: file.size, ..Digests::default() },
            })
            .collect();
        self.request(&uploads).err().unwrap_or_default()
    }

    /// The request once every chosen file is `uploaded`, or every rule the form breaks.
    pub fn request(&self, uploaded: &[UploadedFile]) -> Result<CreateOTAFirmware, Vec<ParamError>> {
        let params = self.params(uploaded);
        let mut problems = Vec::new();
        let mut check = |outcome: Result<(), ParamError>| {
            if let Err(problem) = outcome {
                problems.push(problem);
            }
        };
        check(rules::ID.required(&params, "ProductKey").map(drop));
        check(rules::FIRMWARE_NAME.required(&params, "FirmwareName").map(drop));
        check(rules::VERSION.required(&params, "DestVersion").map(drop));
        if self.firmware_type == FirmwareType::Differential {
            check(self.differential_source(&params));
        }
        check(rules::MODULE_NAME.optional(&params, "ModuleName").map(drop));
        check(rules::DESCRIPTION.optional(&params, "FirmwareDesc").map(drop));
        check(params.text("Udi", MAX_UDI_CHARS).map(drop));
        self.check_files(&mut check);
        if !problems.is_empty() {
            return Err(problems);
        }
        CreateOTAFirmware::from_params(&params).map_err(|problem| vec![problem])
    }

    /// The parameter a file's problems are reported under, so a form can show them beside it.
    pub fn file_param(&self, index: usize) -> String {
        if self.is_multi_file() { format!("MultiFiles.{}", index + 1) } else { "FirmwareUrl".to_owned() }
    }

    fn differential_source(&self, params: &Params) -> Result<(), ParamError> {
        let src = rules::VERSION.required(params, "SrcVersion")?;
        if src == self.dest_version.trim() {
            return Err(ParamError::invalid(
                "SrcVersion",
                "a differential package's source must differ from its destination",
            ));
        }
        Ok(())
    }

    fn check_files(&self, check: &mut impl FnMut(Result<(), ParamError>)) {
        if self.files.is_empty() {
            check(Err(ParamError::missing("FirmwareUrl")));
        }
        if self.files.len() > MAX_FILES {
            let rule = Rule::TooMany { max: MAX_FILES };
            check(Err(ParamError::broke("MultiFiles.N", rule, format!("a package holds at most {MAX_FILES} files"))));
        }
        for (i, file) in self.files.iter().enumerate() {
            let param = self.file_param(i);
            if self.is_multi_file() {
                check(super::edit::FILE_NAME.check(&format!("{param}.Name"), &file.name));
                if self.files[..i].iter().any(|other| other.name == file.name) {
                    let rule = Rule::Duplicate { value: file.name.clone() };
                    check(Err(ParamError::broke(&format!("{param}.Name"), rule, "two files have this name")));
                }
            }
            check(file_suffix(&param, &file.name).map(drop));
            if file.size > MAX_FIRMWARE_FILE_BYTES {
                let rule = Rule::TooLarge { max_bytes: MAX_FIRMWARE_FILE_BYTES };
                check(Err(ParamError::broke(&param, rule, "a package file holds at most 1,000 MB")));
            }
            if file.size == 0 {
                check(Err(ParamError::broke(&param, Rule::EmptyFile, "the file is empty")));
            }
        }
    }

    /// The form as CreateOTAFirmware's parameters, blank fields left out.
    fn params(&self, uploaded: &[UploadedFile]) -> Params {
        let mut params = Params::new()
            .with("ProductKey", self.product_key.trim())
            .with("FirmwareName", self.firmware_name.trim())
            .with("DestVersion", self.dest_version.trim())
            .with("Type", self.firmware_type)
            .with("ModuleName", self.module_name.trim())
            .with("SignMethod", self.sign_method)
            .with("FirmwareDesc", self.firmware_desc.trim())
            .with("NeedToVerify", self.need_to_verify)
            .with("Udi", self.udi.trim());
        if self.firmware_type == FirmwareType::Differential {
            params = params.with("SrcVersion", self.src_version.trim());
        }
        let sign = |file: &UploadedFile| file.digests.sign(self.sign_method).map(str::to_owned);
        match uploaded {
            [] => {}
            [file] if !self.is_multi_file() => {
                params = params
                    .with("FirmwareUrl", &file.url)
                    .with_opt("FirmwareSign", sign(file))
                    .with("FirmwareSize", file.digests.bytes);
            }
            files => {
                for (i, file) in files.iter().enumerate() {
                    let prefix = format!("MultiFiles.{}", i + 1);
                    params = params
                        .with(&format!("{prefix}.Name"), &file.name)
                        .with(&format!("{prefix}.Url"), &file.url)
                        .with(&format!("{prefix}.Size"), file.digests.bytes)
                        .with_opt(&format!("{prefix}.SignValue"), sign(file))
                        .with_opt(&format!("{prefix}.FileMd5"), file.digests.md5.as_deref());
                }
            }
        }
        params
    }

    /// The module the package is for, with the default filled in.
    pub fn module(&self) -> &str {
        match self.module_name.trim() {
            "" => DEFAULT_MODULE,
            name => name,
        }
    }
}

/// The upload's file type, from the file's name: packages must be one of the API's types.
pub fn file_suffix(param: &str, file_name: &str) -> Result<FileSuffix, ParamError> {
    let lower = file_name.to_ascii_lowercase();
    // The longest match first, so that `x.tar.gz` is a `tar.gz` and not a `gz`.
    let mut known: Vec<FileSuffix> = FileSuffix::ALL.to_vec();
    known.sort_by_key(|suffix| std::cmp::Reverse(suffix.as_str().len()));
    known.into_iter().find(|suffix| lower.ends_with(&format!(".{}", suffix.as_str()))).ok_or_else(|| {
        let allowed: Vec<String> = FileSuffix::ALL.iter().map(|s| format!(".{}", s.as_str())).collect();
        let why = format!("a package file ends in one of {}", allowed.join(", "));
        ParamError::broke(param, Rule::OneOf { allowed }, why)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firmware::edit::PackageFiles;

    fn form(files: &[(&str, u64)]) -> PackageForm {
        PackageForm {
            product_key: "a1SMtr200Qx".into(),
            firmware_name: "sm200-main".into(),
            dest_version: "4.0.0".into(),
            files: files.iter().map(|(name, size)| ChosenFile { name: (*name).into(), size: *size }).collect(),
            ..PackageForm::default()
        }
    }

    fn uploaded(form: &PackageForm) -> Vec<UploadedFile> {
        form.files
            .iter()
            .map(|file| UploadedFile {
                name: file.name.clone(),
                url: format!("https://ota.example/{}", file.name),
                digests: Digests { bytes: file.size, md5: Some("0".repeat(32)), sha256: Some("f".repeat(64)) },
            })
            .collect()
    }

    fn params_at_fault(form: &PackageForm) -> Vec<String> {
        form.problems().into_iter().filter_map(|p| p.param).collect()
    }

    #[test]
    fn a_complete_form_with_one_file_sends_its_url_signature_and_size() {
        let form = PackageForm { sign_method: SignMethod::Sha256, ..form(&[("main.bin", 1024)]) };
        assert!(form.problems().is_empty());
        let request = form.request(&uploaded(&form)).unwrap();
        assert_eq!(request.module_name, DEFAULT_MODULE);
        assert_eq!(
            request.files,
            PackageFiles::Single {
                url: "https://ota.example/main.bin".into(),
                sign: Some("f".repeat(64)),
                size: Some(1024)
            }
        );
    }

    #[test]
    fn several_files_are_sent_by_name_with_each_ones_md5() {
        let form = form(&[("boot.bin", 10), ("app.zip", 20)]);
        let request = form.request(&uploaded(&form)).unwrap();
        let PackageFiles::Multi(files) = request.files else { panic!("expected MultiFiles") };
        assert_eq!(files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["boot.bin", "app.zip"]);
        assert_eq!(files[1].size, Some(20));
        assert_eq!(files[1].file_md5.as_deref(), Some("00000000000000000000000000000000"));
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        let form = PackageForm {
            product_key: String::new(),
            firmware_name: "-starts-with-a-dash".into(),
            dest_version: "4.0.0 beta".into(),
            firmware_desc: "x".repeat(101),
            ..form(&[])
        };
        assert_eq!(
            params_at_fault(&form),
            ["ProductKey", "FirmwareName", "DestVersion", "FirmwareDesc", "FirmwareUrl"]
        );
    }

    #[test]
    fn a_differential_package_needs_a_different_source_version() {
        let mut form = PackageForm { firmware_type: FirmwareType::Differential, ..form(&[("d.bin", 5)]) };
        assert_eq!(form.problems()[0].rule, Rule::Missing);
        form.src_version = "4.0.0".into();
        assert_eq!(params_at_fault(&form), ["SrcVersion"]);
        form.src_version = "3.9.0".into();
        assert!(form.problems().is_empty());
        assert_eq!(form.request(&uploaded(&form)).unwrap().src_version.as_deref(), Some("3.9.0"));
    }

    #[test]
    fn a_full_package_ignores_a_source_version_left_in_the_form() {
        let form = PackageForm { src_version: "not checked".into(), ..form(&[("a.bin", 5)]) };
        assert_eq!(form.request(&uploaded(&form)).unwrap().src_version, None);
    }

    #[test]
    fn files_must_be_of_a_package_type_non_empty_and_at_most_1000_mb() {
        let form = form(&[("notes.txt", 5), ("empty.bin", 0), ("huge.bin", MAX_FIRMWARE_FILE_BYTES + 1)]);
        let rules: Vec<(String, Rule)> = form.problems().into_iter().map(|p| (p.param.unwrap(), p.rule)).collect();
        assert!(
            matches!(&rules[0], (p, Rule::OneOf { allowed }) if p == "MultiFiles.1" && allowed.contains(&".bin".to_owned()))
        );
        assert_eq!(rules[1], ("MultiFiles.2".to_owned(), Rule::EmptyFile));
        assert_eq!(rules[2], ("MultiFiles.3".to_owned(), Rule::TooLarge { max_bytes: MAX_FIRMWARE_FILE_BYTES }));
    }

    #[test]
    fn file_types_take_the_longest_known_ending() {
        assert_eq!(file_suffix("f", "rootfs.TAR.GZ"), Ok(FileSuffix::TarGz));
        assert_eq!(file_suffix("f", "fw.gz"), Ok(FileSuffix::Gz));
        assert_eq!(file_suffix("f", "fw.bin"), Ok(FileSuffix::Bin));
        assert!(file_suffix("f", "bin").is_err());
    }

    #[test]
    fn a_multi_file_package_names_each_file_once_and_holds_at_most_twenty() {
        let twins = form(&[("a.bin", 1), ("a.bin", 1)]);
        assert_eq!(twins.problems()[0].rule, Rule::Duplicate { value: "a.bin".into() });
        let names: Vec<String> = (0..21).map(|i| format!("f{i}.bin")).collect();
        let many = form(&names.iter().map(|n| (n.as_str(), 1)).collect::<Vec<_>>());
        assert_eq!(many.problems()[0].rule, Rule::TooMany { max: MAX_FILES });
    }
}
