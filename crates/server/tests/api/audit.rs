//! The audit log: every change and every refusal, with who, what and how it ended; a batch's
//! history for anyone who may read the batch; the whole log for admins only.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use ota_model::UtcTime;
use ota_model::audit::SUCCESS;
use ota_model::signature::AccessKey;
use ota_server::store::AuditEntry;
use serde_json::Value;

use crate::support::{Server, assert_refused};

const HVAC: (&str, &str) = ("ProductKey", "a1Hvac3CtlM");

fn form(action: &str, params: &[(&str, &str)]) -> String {
    let mut pairs = vec![("Action", action)];
    pairs.extend_from_slice(params);
    serde_urlencoded::to_string(&pairs).unwrap()
}

async fn ok_as(server: &Server, key: &AccessKey, action: &str, params: &[(&str, &str)]) -> Value {
    let reply = server.post_form_as(key, &form(action, params)).await;
    assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.text);
    reply.json()
}

/// The events of ListOTAAuditEvents with `filters`, newest first.
async fn events(server: &Server, filters: &[(&str, &str)]) -> Vec<Value> {
    server.ok("ListOTAAuditEvents", filters).await["Data"]["AuditEvent"].as_array().unwrap().clone()
}

fn actions(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["Action"].as_str().unwrap()).collect()
}

/// A running batch of the demo's controller package.
async fn new_batch(server: &Server) -> String {
    let id = server.firmware_id("hc3-ctrl-1_9_0").await;
    let created = server
        .ok(
            "CreateOTAStaticUpgradeJob",
            &[("FirmwareId", &id), HVAC, ("TargetSelection", "ALL"), ("SrcVersion.1", "1.8.0")],
        )
        .await;
    created["Data"]["JobId"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_batch_history_says_who_created_edited_and_cancelled_it() {
    let server = Server::new().await;
    let job_id = new_batch(&server).await;
    let operator = server.new_key("operator", &[]).await;
    ok_as(
        &server,
        &operator,
        "UpdateOTAJob",
        &[("JobId", &job_id), ("MaximumPerMinute", "100"), ("Tag.1.Key", "area"), ("Tag.1.Value", "east")],
    )
    .await;
    ok_as(&server, &operator, "CancelOTATaskByJob", &[("JobId", &job_id), ("CancelQueuedTask", "true")]).await;
    // A failed edit is not history.
    let bad = server
        .post_form_as(
            &operator,
            &form("UpdateOTAJob", &[("JobId", &job_id), ("MaximumPerMinute", "100"), ("TimeoutInMinutes", "5")]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::CONFLICT, "{}", bad.text);

    let reader = server.new_key("read-only", &[]).await;
    let history = ok_as(&server, &reader, "ListOTAJobHistory", &[("JobId", &job_id)]).await;
    assert_eq!(history["Total"], 3);
    let events = history["Data"]["AuditEvent"].as_array().unwrap();
    assert_eq!(actions(events), ["CreateOTAStaticUpgradeJob", "UpdateOTAJob", "CancelOTATaskByJob"]);
    let who: Vec<&str> = events.iter().map(|e| e["PrincipalName"].as_str().unwrap()).collect();
    assert_eq!(who, ["test-admin", "test-operator", "test-operator"]);
    assert!(events.iter().all(|e| e["Outcome"] == "Success" && e["TargetType"] == "Job" && e["TargetId"] == job_id));
    let edit = events[1]["Parameters"]["Parameter"].as_array().unwrap();
    assert!(edit.iter().any(|p| p["Name"] == "Tag.1.Value" && p["Value"] == "east"), "{edit:?}");
    assert!(edit.iter().all(|p| p["Name"] != "Signature" && p["Name"] != "AccessKeyId"), "{edit:?}");

    let unknown = server.post_form_as(&reader, &form("ListOTAJobHistory", &[("JobId", "nope")])).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);
}

#[tokio::test]
async fn refusals_and_failures_are_recorded_and_reads_are_not() {
    let server = Server::new().await;
    let job_id = new_batch(&server).await;
    server.ok("ListOTAFirmware", &[]).await;
    let reader = server.new_key("read-only", &[]).await;
    let forbidden = server.post_form_as(&reader, &form("CancelOTATaskByJob", &[("JobId", &job_id)])).await;
    assert_refused(forbidden, StatusCode::FORBIDDEN, "Forbidden.RAM", "CancelOTATaskByJob").await;
    let wrong = AccessKey { access_key_secret: "not-the-secret".into(), ..reader.clone() };
    let mismatch = server.post_form_as(&wrong, &form("ListOTAFirmware", &[])).await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    server
        .refused(
            "UpdateOTAJob",
            &[("JobId", "nope"), ("MaximumPerMinute", "100")],
            StatusCode::NOT_FOUND,
            "iot.ota.JobNotFound",
        )
        .await;

    let all = events(&server, &[]).await;
    assert_eq!(actions(&all), ["UpdateOTAJob", "ListOTAFirmware", "CancelOTATaskByJob", "CreateOTAStaticUpgradeJob"]);
    let outcomes: Vec<&str> = all.iter().map(|e| e["Outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["Failed", "Refused", "Refused", "Success"]);
    assert_eq!(all[0]["Code"], "iot.ota.JobNotFound");
    assert!(all[0]["ErrorMessage"].as_str().unwrap().contains("nope"));
    // A key whose signature failed is named by its ID only: who holds it is not proven.
    assert_eq!(all[1]["AccessKeyId"], reader.access_key_id.as_str());
    assert!(all[1].get("PrincipalType").is_none() && all[1]["PrincipalName"] == "", "{}", all[1]);
    assert_eq!(all[2]["PrincipalName"], "test-read-only");
    assert!(all.iter().all(|e| e["RequestId"].as_str().unwrap().len() == 36 && e["UtcTime"].is_string()));

    let refused = events(&server, &[("Outcome", "Refused")]).await;
    assert_eq!(refused.len(), 2);
    let by_reader = events(&server, &[("Principal", &reader.access_key_id)]).await;
    assert_eq!(actions(&by_reader), ["ListOTAFirmware", "CancelOTATaskByJob"]);
    let on_job = events(&server, &[("TargetId", &job_id)]).await;
    assert_eq!(actions(&on_job), ["CancelOTATaskByJob", "CreateOTAStaticUpgradeJob"]);
    let updates = events(&server, &[("ActionName", "UpdateOTAJob")]).await;
    assert_eq!(updates.len(), 1);
}

#[tokio::test]
async fn only_admins_read_the_whole_log() {
    let server = Server::new().await;
    for policy in ["operator", "read-only"] {
        let key = server.new_key(policy, &[]).await;
        let reply = server.post_form_as(&key, &form("ListOTAAuditEvents", &[])).await;
        assert_refused(reply, StatusCode::FORBIDDEN, "Forbidden.RAM", "ListOTAAuditEvents").await;
    }
    // The refusals themselves are in the log.
    let refused = events(&server, &[("ActionName", "ListOTAAuditEvents")]).await;
    assert_eq!(refused.len(), 2);
}

#[tokio::test]
async fn sign_ins_are_recorded_without_their_password() {
    let server = Server::new().await;
    let grant = ota_server::store::access::Grant { policy: "operator".into(), instances: vec![] };
    ota_server::auth::cli::create_user_in(&server.store, "ops", "the right password", grant).await.unwrap();
    for password in ["the wrong password", "the right password"] {
        let attempt = form("AssumeOTASession", &[("UserName", "ops"), ("Password", password)]);
        server.post_form_unsigned(&attempt).await;
    }
    let sign_ins = events(&server, &[("Principal", "ops")]).await;
    let outcomes: Vec<(&str, &str)> =
        sign_ins.iter().map(|e| (e["Outcome"].as_str().unwrap(), e["Code"].as_str().unwrap())).collect();
    assert_eq!(outcomes, [("Success", "Success"), ("Refused", "InvalidUser.Password")]);
    let text = serde_json::to_string(&sign_ins).unwrap();
    assert!(!text.contains("password\""), "{text}");
    assert!(!text.contains("the right password") && !text.contains("the wrong password"), "{text}");
    assert!(text.contains("(removed)"), "{text}");
}

#[tokio::test]
async fn pages_hold_still_while_events_arrive_and_time_bounds_apply() {
    let server = Server::new().await;
    for n in 0..5 {
        server.ok("CreateProduct", &[("ProductName", &format!("audit-{n}")), ("NodeType", "0")]).await;
    }
    let first = server.ok("ListOTAAuditEvents", &[("PageSize", "2")]).await;
    assert_eq!((first["Total"].as_u64(), first["PageCount"].as_u64()), (Some(5), Some(3)));
    let newest = &first["Data"]["AuditEvent"][0];
    assert_eq!(newest["TargetType"], "Product", "a created product is the target: {newest}");
    let end = UtcTime(chrono::Utc::now()).millis() + 1;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    server.ok("CreateProduct", &[("ProductName", "later"), ("NodeType", "0")]).await;
    let fixed = [("PageSize", "2"), ("CurrentPage", "3"), ("EndTime", &end.to_string())];
    let last = server.ok("ListOTAAuditEvents", &fixed.map(|(n, v)| (n, v as &str))).await;
    assert_eq!(last["Total"], 5, "the event after EndTime is left out");
    let oldest = &last["Data"]["AuditEvent"].as_array().unwrap()[0];
    assert_eq!(oldest["Parameters"]["Parameter"][0]["Value"], "audit-0");
    let future = (end + 3_600_000).to_string();
    assert_eq!(events(&server, &[("StartTime", &future)]).await.len(), 0);
}

#[tokio::test]
async fn a_change_and_its_record_commit_together_or_not_at_all() {
    let server = Server::new().await;
    let entry = |request_id: &str| {
        Arc::new(AuditEntry {
            request_id: request_id.to_owned(),
            at: UtcTime(chrono::Utc::now()),
            principal_type: None,
            principal_name: "test".into(),
            access_key_id: String::new(),
            source_ip: String::new(),
            action: "CreateProduct".into(),
            instance: "iot-default".into(),
            parameters: vec![],
            target: Mutex::new(None),
        })
    };
    let rolled_back = server.store.audited(entry("ROLLED-BACK"));
    drop(rolled_back.begin().await.unwrap());
    let committed = server.store.audited(entry("COMMITTED"));
    committed.begin().await.unwrap().commit().await.unwrap();
    let recorded: Vec<Value> = events(&server, &[("Principal", "test")]).await;
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0]["RequestId"].as_str(), recorded[0]["Code"].as_str()), (Some("COMMITTED"), Some(SUCCESS)));
}

#[tokio::test]
async fn old_events_leave_by_age_only() {
    let server = Server::new().await;
    server.ok("CreateProduct", &[("ProductName", "kept"), ("NodeType", "0")]).await;
    let yesterday = UtcTime(chrono::Utc::now() - chrono::Duration::days(1));
    assert_eq!(server.store.forget_audit_events_before(yesterday).await.unwrap(), 0);
    assert_eq!(events(&server, &[]).await.len(), 1);
    let soon = UtcTime(chrono::Utc::now() + chrono::Duration::seconds(1));
    assert_eq!(server.store.forget_audit_events_before(soon).await.unwrap(), 1);
}
