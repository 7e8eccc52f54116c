//! `ota-server access-key …` and `ota-server user …`: managing who may call the API, on the
//! database directly (the server need not run). Other tools parse this output: keep it stable.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;

use super::{MasterKey, Policies, passwords, sessions};
use crate::cli::{ConfigFile, StorageArgs};
use crate::ids;
use crate::store::Store;
use crate::store::access::{AccessKey, Changed, Grant};

#[derive(Debug, Subcommand)]
pub enum AccessKeyCommand {
    /// Create an access key and print its AccessKeyId and AccessKeySecret (shown only now).
    Create(CreateKey),
    /// List the access keys (never their secrets).
    List(ListArgs),
    /// Disable an access key: calls signed with it are refused.
    Disable(KeyId),
    /// Enable a disabled access key again.
    Enable(KeyId),
    /// Delete an access key.
    Delete(KeyId),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user who signs in to the console with a name and a password.
    Create(CreateUser),
    /// List the users.
    List(ListArgs),
    /// Disable a user and end the user's sessions.
    Disable(UserName),
    /// Enable a disabled user again.
    Enable(UserName),
    /// Delete a user and end the user's sessions.
    Delete(UserName),
}

/// Where the database is, and the `--config` file with custom policies.
#[derive(Debug, Clone, Args)]
pub struct Place {
    #[command(flatten)]
    pub storage: StorageArgs,

    /// The server's `--config` file, for the custom policies it defines.
    #[arg(long, env = "OTA_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct GrantArgs {
    /// The policy: read-only, operator, admin, or one defined in the --config file.
    #[arg(long)]
    pub policy: String,

    /// An instance the principal is limited to; repeat for several. Default: every instance.
    #[arg(long = "instance")]
    pub instances: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct CreateKey {
    /// What the key is for, e.g. "ci-deploy".
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub grant: GrantArgs,
    /// Print one JSON object {"AccessKeyId": …, "AccessKeySecret": …}.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub place: Place,
}

#[derive(Debug, Clone, Args)]
pub struct CreateUser {
    /// The user's name, as typed at sign-in.
    pub name: String,
    #[command(flatten)]
    pub grant: GrantArgs,
    /// Read the password from the first line of standard input. Without it, a random password
    /// is made and printed.
    #[arg(long)]
    pub password_stdin: bool,
    /// Print one JSON object {"UserName": …, "Password": …} (the password only if made here).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub place: Place,
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// One JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub place: Place,
}

#[derive(Debug, Clone, Args)]
pub struct KeyId {
    pub access_key_id: String,
    #[command(flatten)]
    pub place: Place,
}

#[derive(Debug, Clone, Args)]
pub struct UserName {
    pub name: String,
    #[command(flatten)]
    pub place: Place,
}

type Outcome = Result<(), crate::StartError>;

fn now() -> ota_model::UtcTime {
    ota_model::UtcTime(chrono::Utc::now())
}

async fn open(place: &Place) -> Result<(Store, Policies), crate::StartError> {
    let config = match &place.config {
        Some(path) => ConfigFile::read(path)?,
        None => ConfigFile::default(),
    };
    let policies = Policies::new(config.policies)?;
    Ok((Store::open(&place.storage.database()).await?, policies))
}

fn grant(args: &GrantArgs, policies: &Policies) -> Result<Grant, String> {
    if policies.get(&args.policy).is_none() {
        let known: Vec<&str> = policies.names().collect();
        return Err(format!("there is no policy {}; known: {}", args.policy, known.join(", ")));
    }
    for instance in &args.instances {
        instance.parse::<crate::cli::InstanceSpec>()?;
    }
    Ok(Grant { policy: args.policy.clone(), instances: args.instances.clone() })
}

fn done(changed: Changed, what: &str) -> Outcome {
    match changed {
        Changed::Done => Ok(()),
        Changed::NotFound => Err(format!("there is no {what}").into()),
    }
}

pub async fn access_key(command: AccessKeyCommand) -> Outcome {
    match command {
        AccessKeyCommand::Create(args) => create_key(args).await,
        AccessKeyCommand::List(args) => list_keys(args).await,
        AccessKeyCommand::Disable(id) => {
            let (store, _) = open(&id.place).await?;
            done(
                store.set_access_key_enabled(&id.access_key_id, false).await?,
                &format!("access key {}", id.access_key_id),
            )
        }
        AccessKeyCommand::Enable(id) => {
            let (store, _) = open(&id.place).await?;
            done(
                store.set_access_key_enabled(&id.access_key_id, true).await?,
                &format!("access key {}", id.access_key_id),
            )
        }
        AccessKeyCommand::Delete(id) => {
            let (store, _) = open(&id.place).await?;
            done(store.delete_access_key(&id.access_key_id).await?, &format!("access key {}", id.access_key_id))
        }
    }
}

/// A new key: `LTAI` and 20 random base-62 characters, like Alibaba's, and a 30-character secret.
pub async fn create_key_in(
    store: &Store,
    master_key: &MasterKey,
    name: &str,
    grant: Grant,
) -> Result<(String, String), crate::StartError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err("a key's --name has 1 to 64 characters".into());
    }
    loop {
        let secret = ids::random(30);
        let key = AccessKey {
            access_key_id: format!("LTAI{}", ids::random(20)),
            name: name.to_owned(),
            secret_sealed: master_key.seal(&secret),
            grant: grant.clone(),
            enabled: true,
            created_at: now(),
        };
        if store.create_access_key(&key).await? {
            return Ok((key.access_key_id, secret));
        }
    }
}

async fn create_key(args: CreateKey) -> Outcome {
    let (store, policies) = open(&args.place).await?;
    let grant = grant(&args.grant, &policies)?;
    let master_key = MasterKey::load_or_create(&args.place.storage.data_dir)?;
    let (id, secret) = create_key_in(&store, &master_key, &args.name, grant).await?;
    store.close().await;
    if args.json {
        println!("{}", json!({"AccessKeyId": id, "AccessKeySecret": secret}));
    } else {
        println!("AccessKeyId:     {id}\nAccessKeySecret: {secret}\nKeep the secret now: it is not shown again.");
    }
    Ok(())
}

fn instances_text(grant: &Grant) -> String {
    if grant.instances.is_empty() { "*".to_owned() } else { grant.instances.join(",") }
}

async fn list_keys(args: ListArgs) -> Outcome {
    let (store, _) = open(&args.place).await?;
    let keys = store.access_keys().await?;
    if args.json {
        let rows: Vec<_> = keys
            .iter()
            .map(|k| {
                json!({"AccessKeyId": k.access_key_id, "Name": k.name, "Policy": k.grant.policy,
                       "Instances": k.grant.instances, "Enabled": k.enabled, "Created": ota_model::signature::timestamp(k.created_at)})
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
        return Ok(());
    }
    println!("{:<26} {:<10} {:<12} {:<20} {:<8} CREATED", "ACCESS KEY ID", "NAME", "POLICY", "INSTANCES", "ENABLED");
    for k in keys {
        let created = ota_model::signature::timestamp(k.created_at);
        let instances = instances_text(&k.grant);
        println!(
            "{:<26} {:<10} {:<12} {instances:<20} {:<8} {created}",
            k.access_key_id, k.name, k.grant.policy, k.enabled
        );
    }
    Ok(())
}

pub async fn user(command: UserCommand) -> Outcome {
    match command {
        UserCommand::Create(args) => create_user(args).await,
        UserCommand::List(args) => list_users(args).await,
        UserCommand::Disable(user) => {
            let (store, _) = open(&user.place).await?;
            done(store.set_user_enabled(&user.name, false, now()).await?, &format!("user {}", user.name))
        }
        UserCommand::Enable(user) => {
            let (store, _) = open(&user.place).await?;
            done(store.set_user_enabled(&user.name, true, now()).await?, &format!("user {}", user.name))
        }
        UserCommand::Delete(user) => {
            let (store, _) = open(&user.place).await?;
            done(store.delete_user(&user.name).await?, &format!("user {}", user.name))
        }
    }
}

/// Creates a user; false if the name is taken.
pub async fn create_user_in(
    store: &Store,
    name: &str,
    password: &str,
    grant: Grant,
) -> Result<bool, crate::StartError> {
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@');
    if name.is_empty() || name.len() > ota_model::access::MAX_USER_NAME || !name.chars().all(valid) {
        return Err("a user name has 1 to 64 letters, digits, '-', '_', '.' or '@'".into());
    }
    if password.chars().count() < passwords::MIN_PASSWORD_CHARS {
        return Err(format!("a password has at least {} characters", passwords::MIN_PASSWORD_CHARS).into());
    }
    let user = sessions::new_user(name, password, grant, now())?;
    Ok(store.create_user(&user).await?)
}

async fn create_user(args: CreateUser) -> Outcome {
    let (store, policies) = open(&args.place).await?;
    let grant = grant(&args.grant, &policies)?;
    let (password, made_here) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (ids::random(20), true)
    };
    if !create_user_in(&store, &args.name, &password, grant).await? {
        return Err(format!("there is a user {} already", args.name).into());
    }
    store.close().await;
    match (args.json, made_here) {
        (true, true) => println!("{}", json!({"UserName": args.name, "Password": password})),
        (true, false) => println!("{}", json!({"UserName": args.name})),
        (false, true) => {
            println!("UserName: {}\nPassword: {password}\nKeep the password now: it is not shown again.", args.name)
        }
        (false, false) => println!("UserName: {}", args.name),
    }
    Ok(())
}

async fn list_users(args: ListArgs) -> Outcome {
    let (store, _) = open(&args.place).await?;
    let users = store.users().await?;
    if args.json {
        let rows: Vec<_> = users
            .iter()
            .map(|u| {
                json!({"UserName": u.user_name, "Policy": u.grant.policy, "Instances": u.grant.instances,
                       "Enabled": u.enabled, "Created": ota_model::signature::timestamp(u.created_at)})
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
        return Ok(());
    }
    println!("{:<20} {:<12} {:<20} {:<8} CREATED", "USER", "POLICY", "INSTANCES", "ENABLED");
    for u in users {
        let created = ota_model::signature::timestamp(u.created_at);
        let instances = instances_text(&u.grant);
        println!("{:<20} {:<12} {instances:<20} {:<8} {created}", u.user_name, u.grant.policy, u.enabled);
    }
    Ok(())
}
