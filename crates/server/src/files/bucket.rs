//! Uploaded files in an S3-compatible bucket (`s3://bucket/prefix`), through `object_store`.
//! Each upload streams into an object of its own, `prefix/key/attempt`, while it is hashed:
//! an object appears only when its upload completes, two uploads to one key never mix, and
//! the database records which attempt the upload's file is. Clients download through the
//! store's own presigned URLs, so the bytes never pass through this server.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{Attribute, AttributeValue, Attributes, ObjectStore, ObjectStoreExt};
use tokio::io::AsyncWriteExt;

use super::{Hashing, ReceiveError, StoredFile};

/// How long a presigned download URL works: enough to start a download (a transfer under way
/// outlives it); a device that resumes later asks this server again.
const SIGNED_URL_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// Files up to this size go up in one request; larger ones as a multipart upload of parts
/// this size (S3's parts are at least 5 MiB).
const PART_BYTES: usize = 8 << 20;

#[derive(Clone)]
pub struct Bucket {
    s3: Arc<AmazonS3>,
    prefix: Path,
    url: String,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket").field("url", &self.url).finish_non_exhaustive()
    }
}

impl Bucket {
    /// The bucket and prefix of `url`, with endpoint, region and credentials from the
    /// environment (`AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, …), checked by listing.
    pub async fn open(url: &str) -> Result<Self, String> {
        let (_, prefix) = url.trim_start_matches("s3://").split_once('/').unwrap_or_default();
        let prefix = Path::parse(prefix.trim_matches('/')).map_err(|e| format!("--files-url {url}: {e}"))?;
        let s3 = AmazonS3Builder::from_env()
            .with_url(url)
            .build()
            .map_err(|e| format!("--files-url {url}: {e} (endpoint, region and keys come from AWS_… variables)"))?;
        let bucket = Self { s3: Arc::new(s3), prefix, url: url.to_owned() };
        bucket
            .s3
            .list_with_delimiter(Some(&bucket.prefix))
            .await
            .map_err(|e| format!("cannot use the bucket {url} for uploaded files: {e}"))?;
        Ok(bucket)
    }

    /// Receives `body` as a new object under `key`, refusing more than `limit` bytes.
    pub async fn receive<S, E>(&self, key: &str, body: S, limit: u64) -> Result<StoredFile, ReceiveError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let object = format!("{key}/{}", crate::ids::random(12));
        let path = self.path(&object)?;
        let attributes = Attributes::from_iter([
            (Attribute::ContentType, AttributeValue::from("application/octet-stream")),
            (Attribute::ContentDisposition, AttributeValue::from(format!("attachment; filename=\"{key}\""))),
        ]);
        let s3: Arc<dyn ObjectStore> = self.s3.clone();
        let mut writer = BufWriter::with_capacity(s3, path, PART_BYTES).with_attributes(attributes);
        let hashing = match send(&mut writer, body, limit).await {
            Ok(hashing) => hashing,
            Err(error) => {
                // Parts already sent are dropped with the multipart upload.
                if let Err(abort) = writer.abort().await {
                    tracing::warn!("cannot abort the upload of {object}: {abort}");
                }
                return Err(error);
            }
        };
        // Completes the object; a multipart upload that fails here is left for the bucket's
        // lifecycle rule to drop (docs/architecture.md).
        writer.shutdown().await?;
        Ok(hashing.finish(object))
    }

    /// Deletes every object stored for the upload `key`.
    pub async fn remove(&self, key: &str) -> io::Result<()> {
        let under = self.path(key)?;
        let objects = self.s3.list(Some(&under)).map_ok(|meta| meta.location).boxed();
        let mut deleted = self.s3.delete_stream(objects);
        while let Some(done) = deleted.next().await {
            match done {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(io::Error::other(error)),
            }
        }
        Ok(())
    }

    /// Deletes one object.
    pub async fn delete(&self, object: &str) -> io::Result<()> {
        let path = self.path(object)?;
        match self.s3.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(io::Error::other(error)),
        }
    }

    /// A URL that downloads `object` for a while, with range requests.
    pub async fn signed_url(&self, object: &str) -> io::Result<String> {
        let path = self.path(object)?;
        let url = self.s3.signed_url(reqwest::Method::GET, &path, SIGNED_URL_LIFETIME).await;
        url.map(String::from).map_err(io::Error::other)
    }

    /// The whole of `object`.
    pub async fn read(&self, object: &str) -> io::Result<Vec<u8>> {
        let path = self.path(object)?;
        let bytes = self.s3.get(&path).await.map_err(io::Error::other)?.bytes().await.map_err(io::Error::other)?;
        Ok(bytes.to_vec())
    }

    /// `prefix/name`, where `name` is a key or `key/attempt` (names this server made).
    fn path(&self, name: &str) -> io::Result<Path> {
        let mut path = self.prefix.clone();
        for part in name.split('/') {
            if part.is_empty() || part.starts_with('.') {
                return Err(io::Error::other(format!("{name} is not an object name")));
            }
            path = path.join(part);
        }
        Ok(path)
    }
}

/// Sends `body` through `writer` while hashing it.
async fn send<S, E>(writer: &mut BufWriter, body: S, limit: u64) -> Result<Hashing, ReceiveError>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: std::fmt::Display,
{
    let mut hashing = Hashing::new(limit);
    let mut body = std::pin::pin!(body);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| ReceiveError::Interrupted(e.to_string()))?;
        hashing.update(&chunk)?;
        writer.put(chunk).await.map_err(|e| ReceiveError::Io(io::Error::other(e)))?;
    }
    Ok(hashing)
}
