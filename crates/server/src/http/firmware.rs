//! Update packages: upload grants, create, modify, delete, list, query.

use ota_model::audit::{Target, TargetType};
use ota_model::firmware::edit::{
    CreateOTAFirmware, CreateOTAFirmwareResponse, DeleteOTAFirmware, FirmwareCreated, ModifyOTAFirmware, PackageFiles,
};
use ota_model::firmware::{
    ListOTAFirmware, ListOTAFirmwareResponse, QueryOTAFirmware, QueryOTAFirmwareResponse, SimpleFirmwareInfoList,
};
use ota_model::upload::{
    DeviceListGrant, GenerateDeviceNameListURL, GenerateDeviceNameListURLResponse, GenerateOTAUploadURL,
    GenerateOTAUploadURLResponse, UploadGrant,
};
use ota_model::{Empty, FileSuffix, Page, ParamError, SignMethod, codes};

use super::rpc::Actions;
use super::{ApiError, Ctx, firmware_not_found};
use crate::files::StoredFile;
use crate::ids;
use crate::metrics::Refusal;
use crate::store::{FirmwareChange, NewFirmware, NewFirmwareFile, Purpose, firmware::MAX_PACKAGES};

pub fn register(actions: &mut Actions) {
    actions
        .add(generate_upload_url)
        .add(generate_device_list_url)
        .add(create_firmware)
        .add(modify_firmware)
        .add(delete_firmware)
        .add(list_firmware)
        .add(query_firmware);
}

/// The PostObject fields of a grant, on this server: unchecked (the URL itself, long and
/// random, is what grants the upload), but present so that OSS-style clients find them.
struct GrantForm {
    url: String,
    host: String,
    key: String,
    policy: String,
}

async fn grant(ctx: &Ctx, purpose: Purpose, suffix: &str) -> Result<GrantForm, ApiError> {
    let key = format!("{}.{suffix}", ids::file_key());
    let most = ctx.limits.upload_grants;
    if !ctx.store.grant_upload(&ctx.instance, &key, purpose, suffix, most, ctx.now).await? {
        ctx.metrics.refused(Refusal::UploadGrants);
        return Err(ApiError::conflict(
            codes::UPLOAD_GRANT_LIMIT,
            format!(
                "The instance has {most} upload URLs waiting for their files; use or let some expire (10 minutes)."
            ),
        ));
    }
    Ok(GrantForm {
        url: format!("{}/{key}", ctx.files_url()),
        host: ctx.files_url(),
        policy: format!("{{\"key\":\"{key}\",\"granted\":\"{}\"}}", ctx.now),
        key,
    })
}

async fn generate_upload_url(
    ctx: Ctx,
    request: GenerateOTAUploadURL,
) -> Result<GenerateOTAUploadURLResponse, ApiError> {
    let suffix = request.file_suffix.unwrap_or(FileSuffix::Bin);
    let form = grant(&ctx, Purpose::Firmware, suffix.as_str()).await?;
    Ok(GenerateOTAUploadURLResponse {
        data: UploadGrant {
            firmware_url: form.url,
            host: form.host,
            key: form.key,
            oss_access_key_id: "ota-server".into(),
            policy: form.policy,
            signature: "unsigned".into(),
            object_storage: "OSS".into(),
            utc_create: ctx.now,
        },
    })
}

async fn generate_device_list_url(
    ctx: Ctx,
    _: GenerateDeviceNameListURL,
) -> Result<GenerateDeviceNameListURLResponse, ApiError> {
    let form = grant(&ctx, Purpose::DeviceList, "csv").await?;
    Ok(GenerateDeviceNameListURLResponse {
        data: DeviceListGrant {
            file_url: form.url,
            host: form.host,
            key: form.key,
            access_key_id: "ota-server".into(),
            policy: form.policy,
            signature: "unsigned".into(),
            object_storage: "OSS".into(),
            utc_create: ctx.now,
        },
    })
}

/// The stored upload a file URL of this server names, if it is ready for `purpose`.
pub async fn stored_upload(
    ctx: &Ctx,
    param: &str,
    url: &str,
    purpose: Purpose,
) -> Result<(String, StoredFile), ApiError> {
    let key = url.split_once("/ota-files/").map(|(_, rest)| rest.split(['?', '#']).next().unwrap_or(rest));
    let not_found =
        || ApiError::not_found(codes::FILE_NOT_FOUND, format!("{param} names no uploaded file of this server: {url}"));
    let key = key.filter(|k| !k.is_empty() && !k.contains('/')).ok_or_else(not_found)?;
    let upload = ctx.store.upload(key).await?.ok_or_else(not_found)?;
    if upload.instance_id != ctx.instance || upload.purpose() != purpose || upload.used_by.is_some() {
        return Err(not_found());
    }
    let stored = upload.stored().ok_or_else(|| {
        ApiError::conflict(codes::FILE_NOT_FOUND, format!("{param}: nothing has been uploaded to {url} yet."))
    })?;
    Ok((key.to_owned(), stored))
}

fn digest(file: &StoredFile, method: SignMethod) -> &str {
    match method {
        SignMethod::Md5 => &file.md5,
        SignMethod::Sha256 => &file.sha256,
    }
}

fn mismatch(param: &str, what: String) -> ApiError {
    let message = format!("{param} does not match the uploaded file: {what}.");
    ParamError { param: Some(param.to_owned()), ..ParamError::new(codes::FILE_MISMATCH, message) }.into()
}

async fn create_firmware(ctx: Ctx, request: CreateOTAFirmware) -> Result<CreateOTAFirmwareResponse, ApiError> {
    ctx.product(&request.product_key).await?;
    let module = ctx.store.module_name(&request.product_key, &request.module_name).await?.ok_or_else(|| {
        ApiError::not_found(codes::MODULE_NOT_FOUND, format!("The product has no module {}.", request.module_name))
    })?;
    let method = request.sign_method;
    let (sign, size, file_key, files) = match &request.files {
        PackageFiles::Single { url, sign, size } => {
            let (key, stored) = stored_upload(&ctx, "FirmwareUrl", url, Purpose::Firmware).await?;
            let actual = digest(&stored, method);
            if let Some(sign) = sign.as_deref().filter(|s| !s.eq_ignore_ascii_case(actual)) {
                return Err(mismatch("FirmwareSign", format!("its {method} is {actual}, not {sign}")));
            }
            if let Some(size) = size.filter(|s| *s != stored.size) {
                return Err(mismatch("FirmwareSize", format!("it has {} bytes, not {size}", stored.size)));
            }
            (actual.to_owned(), stored.size, Some(key), Vec::new())
        }
        PackageFiles::Multi(wanted) => {
            let mut files = Vec::with_capacity(wanted.len());
            for (i, file) in wanted.iter().enumerate() {
                let prefix = format!("MultiFiles.{}", i + 1);
                let (key, stored) = stored_upload(&ctx, &format!("{prefix}.Url"), &file.url, Purpose::Firmware).await?;
                let sign = digest(&stored, method);
                if let Some(given) = file.sign_value.as_deref().filter(|s| !s.eq_ignore_ascii_case(sign)) {
                    return Err(mismatch(
                        &format!("{prefix}.SignValue"),
                        format!("its {method} is {sign}, not {given}"),
                    ));
                }
                if let Some(given) = file.file_md5.as_deref().filter(|s| !s.eq_ignore_ascii_case(&stored.md5)) {
                    return Err(mismatch(
                        &format!("{prefix}.FileMd5"),
                        format!("its MD5 is {}, not {given}", stored.md5),
                    ));
                }
                if let Some(given) = file.size.filter(|s| *s != stored.size) {
                    return Err(mismatch(
                        &format!("{prefix}.Size"),
                        format!("it has {} bytes, not {given}", stored.size),
                    ));
                }
                files.push(NewFirmwareFile {
                    name: file.name.clone(),
                    file_key: key,
                    size: stored.size,
                    sign_value: sign.to_owned(),
                    file_md5: stored.md5.clone(),
                });
            }
            (String::new(), files.iter().map(|f| f.size).sum(), None, files)
        }
    };
    let firmware = NewFirmware {
        firmware_id: ids::object_id(),
        product_key: request.product_key.clone(),
        module_name: module,
        firmware_name: request.firmware_name.clone(),
        firmware_desc: request.firmware_desc.clone(),
        dest_version: request.dest_version.clone(),
        src_version: request.src_version.clone(),
        firmware_type: request.firmware_type,
        sign_method: method,
        firmware_sign: sign,
        firmware_size: size,
        file_key,
        files,
        udi: request.udi.clone(),
        need_to_verify: request.need_to_verify,
        created: ctx.now,
    };
    ctx.store.audit_target(Target::new(TargetType::Firmware, &firmware.firmware_id));
    match ctx.store.create_firmware(&ctx.instance, &firmware).await? {
        FirmwareChange::Done => Ok(CreateOTAFirmwareResponse {
            data: FirmwareCreated { firmware_id: firmware.firmware_id, utc_create: ctx.now },
        }),
        other => Err(refused(other, &firmware.firmware_id, &request.firmware_name)),
    }
}

async fn modify_firmware(ctx: Ctx, request: ModifyOTAFirmware) -> Result<Empty, ApiError> {
    let change = ctx.store.modify_firmware(&ctx.instance, &request, ctx.now).await?;
    match change {
        FirmwareChange::Done => Ok(Empty {}),
        other => Err(refused(other, &request.firmware_id, request.firmware_name.as_deref().unwrap_or_default())),
    }
}

async fn delete_firmware(ctx: Ctx, request: DeleteOTAFirmware) -> Result<Empty, ApiError> {
    match ctx.store.delete_firmware(&ctx.instance, &request.firmware_id, ctx.now).await? {
        FirmwareChange::Done => Ok(Empty {}),
        other => Err(refused(other, &request.firmware_id, "")),
    }
}

/// The error for a package change that did not happen.
fn refused(change: FirmwareChange, firmware_id: &str, name: &str) -> ApiError {
    match change {
        FirmwareChange::NotFound => firmware_not_found(firmware_id),
        FirmwareChange::OtherProduct => ApiError::conflict(
            codes::FIRMWARE_PRODUCT_MISMATCH,
            format!("The package {firmware_id} belongs to another product."),
        ),
        FirmwareChange::NameTaken => {
            ApiError::conflict(codes::FIRMWARE_NAME_TAKEN, format!("A package named {name} exists already."))
        }
        FirmwareChange::LimitReached => ApiError::conflict(
            codes::FIRMWARE_LIMIT_REACHED,
            format!("The instance has {MAX_PACKAGES} packages, the most it may have; delete some first."),
        ),
        FirmwareChange::InUse => ApiError::conflict(
            codes::FIRMWARE_IN_USE,
            format!("The package {firmware_id} has unfinished batches; cancel them first."),
        ),
        FirmwareChange::FileGone => ApiError::conflict(
            codes::FILE_NOT_FOUND,
            "The uploaded file was taken by another package, or expired, while this one was created.",
        ),
        FirmwareChange::Done => ApiError::Internal("a package change was reported as refused and done".into()),
    }
}

async fn list_firmware(ctx: Ctx, request: ListOTAFirmware) -> Result<ListOTAFirmwareResponse, ApiError> {
    let (total, items) = ctx.store.list_firmware(&ctx.instance, &request).await?;
    Ok(ListOTAFirmwareResponse {
        page: Page::new(request.page, total),
        firmware_info: SimpleFirmwareInfoList { items },
    })
}

async fn query_firmware(ctx: Ctx, request: QueryOTAFirmware) -> Result<QueryOTAFirmwareResponse, ApiError> {
    let url = |file_key: &str| ctx.access.downloads.url(&ctx.origin, file_key, ctx.now);
    match ctx.store.query_firmware(&ctx.instance, &request.firmware_id, &url).await? {
        Some(firmware_info) => Ok(QueryOTAFirmwareResponse { firmware_info }),
        None => Err(firmware_not_found(&request.firmware_id)),
    }
}
