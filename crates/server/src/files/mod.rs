//! Uploaded package files and device lists: in a directory (the default) or in an S3-compatible
//! bucket (`--files-url s3://…`, which several servers share). Either way a file is hashed while
//! it arrives and becomes visible only once complete, and no upload replaces another's file.

mod bucket;
mod disk;

use std::io;
use std::path::PathBuf;

use axum::body::Bytes;
use futures_util::Stream;
use md5::{Digest, Md5};
use sha2::Sha256;

pub use bucket::Bucket;
pub use disk::Disk;

/// What was received, and where it lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub size: u64,
    pub md5: String,
    pub sha256: String,
    /// The object holding the bytes: the upload's key in a directory, `key/attempt` in a bucket.
    pub object: String,
}

#[derive(Debug)]
pub enum ReceiveError {
    /// More than the allowed bytes arrived; nothing was kept.
    TooLarge {
        limit: u64,
    },
    /// The client went away, or the body broke off; nothing was kept.
    Interrupted(String),
    /// Another upload to the same key is arriving or has arrived; this one was not kept.
    Busy,
    Io(io::Error),
}

impl From<io::Error> for ReceiveError {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// Where the files are kept, as `--files-url` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilesLocation {
    Directory(PathBuf),
    /// `s3://bucket/prefix`; endpoint, region and credentials come from the `AWS_…` variables.
    Bucket(String),
}

impl FilesLocation {
    /// A directory path (or `file://` URL), or an `s3://bucket/prefix` URL.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.starts_with("s3://") {
            return Ok(Self::Bucket(text.to_owned()));
        }
        if let Some(path) = text.strip_prefix("file://") {
            return Ok(Self::Directory(path.into()));
        }
        match text.split_once("://") {
            Some((scheme, _)) => Err(format!(
                "--files-url {text}: {scheme}:// is not a place for files; give a directory or s3://bucket/prefix"
            )),
            None if text.trim().is_empty() => Err("--files-url is empty".into()),
            None => Ok(Self::Directory(text.into())),
        }
    }
}

/// Where a complete file can be read from.
pub enum Located {
    Path(PathBuf),
    /// A time-limited URL signed for the object store, for the client to fetch itself.
    Url(String),
}

/// The uploaded files, wherever they are kept.
#[derive(Debug, Clone)]
pub enum FileStore {
    Disk(Disk),
    Bucket(Bucket),
}

impl FileStore {
    /// Opens the directory or bucket, checking that it can be used.
    pub async fn open(location: &FilesLocation) -> Result<Self, String> {
        match location {
            FilesLocation::Directory(path) => Disk::open(path)
                .await
                .map(Self::Disk)
                .map_err(|e| format!("cannot use {} for uploaded files: {e}", path.display())),
            FilesLocation::Bucket(url) => Bucket::open(url).await.map(Self::Bucket),
        }
    }

    /// Receives `body` as the file of the upload `key`, refusing more than `limit` bytes.
    pub async fn receive<S, E>(&self, key: &str, body: S, limit: u64) -> Result<StoredFile, ReceiveError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        match self {
            Self::Disk(disk) => disk.receive(key, body, limit).await,
            Self::Bucket(bucket) => bucket.receive(key, body, limit).await,
        }
    }

    /// Stores a file of `size` bytes that starts with `header` and is zeros after it (the demo
    /// dataset's packages: real and downloadable, sparse on disk).
    pub async fn create_sparse(&self, key: &str, header: &[u8], size: u64) -> Result<StoredFile, ReceiveError> {
        match self {
            Self::Disk(disk) => disk.create_sparse(key, header, size).await,
            Self::Bucket(bucket) => bucket.receive(key, header_then_zeros(header, size), size).await,
        }
    }

    /// Bytes free for uploads: the directory's file system, or no limit for a bucket.
    pub fn available_space(&self) -> io::Result<u64> {
        match self {
            Self::Disk(disk) => disk.available_space(),
            Self::Bucket(_) => Ok(u64::MAX),
        }
    }

    /// Deletes everything stored for the upload `key`; nothing there is fine.
    pub async fn remove(&self, key: &str) -> io::Result<()> {
        match self {
            Self::Disk(disk) => disk.remove(key).await,
            Self::Bucket(bucket) => bucket.remove(key).await,
        }
    }

    /// Deletes a file that was received but not recorded (its grant was gone).
    pub async fn discard(&self, file: &StoredFile) -> io::Result<()> {
        match self {
            Self::Disk(disk) => disk.remove(&file.object).await,
            Self::Bucket(bucket) => bucket.delete(&file.object).await,
        }
    }

    /// Where a client reads `object` from.
    pub async fn locate(&self, object: &str) -> io::Result<Located> {
        match self {
            Self::Disk(disk) => Ok(Located::Path(disk.path(object))),
            Self::Bucket(bucket) => bucket.signed_url(object).await.map(Located::Url),
        }
    }

    /// The bytes of `object`, which must be at most `limit` of them.
    pub async fn read(&self, object: &str, limit: u64) -> io::Result<Vec<u8>> {
        let bytes = match self {
            Self::Disk(disk) => tokio::fs::read(disk.path(object)).await?,
            Self::Bucket(bucket) => bucket.read(object).await?,
        };
        if bytes.len() as u64 > limit {
            return Err(io::Error::other(format!("{object} is larger than {limit} bytes")));
        }
        Ok(bytes)
    }
}

/// Size and digests of the bytes so far, within a limit.
struct Hashing {
    md5: Md5,
    sha256: Sha256,
    size: u64,
    limit: u64,
}

impl Hashing {
    fn new(limit: u64) -> Self {
        Self { md5: Md5::new(), sha256: Sha256::new(), size: 0, limit }
    }

    /// Takes the next chunk into account, unless it brings the size over the limit.
    fn update(&mut self, chunk: &[u8]) -> Result<(), ReceiveError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(ReceiveError::TooLarge { limit: self.limit });
        }
        self.md5.update(chunk);
        self.sha256.update(chunk);
        Ok(())
    }

    fn finish(self, object: String) -> StoredFile {
        StoredFile { size: self.size, md5: hex(&self.md5.finalize()), sha256: hex(&self.sha256.finalize()), object }
    }
}

/// `header`, then zeros up to `size` bytes, in chunks of a mebibyte.
fn header_then_zeros(header: &[u8], size: u64) -> impl Stream<Item = Result<Bytes, io::Error>> + Send + use<> {
    const CHUNK: u64 = 1 << 20;
    let head = Bytes::copy_from_slice(&header[..header.len().min(size as usize)]);
    let zeros = Bytes::from(vec![0_u8; CHUNK as usize]);
    let mut left = size - head.len() as u64;
    let tail = std::iter::from_fn(move || {
        let take = left.min(CHUNK);
        left -= take;
        (take > 0).then(|| Ok(zeros.slice(..take as usize)))
    });
    futures_util::stream::iter(std::iter::once(Ok(head)).chain(tail))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
