//! Uploaded files in a directory: received while their size and digests are computed, and only
//! then linked into place (and the directory synced), so that nothing half-written is ever
//! served or used, and no upload replaces another's file.

use std::io;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use futures_util::{Stream, StreamExt};
use md5::{Digest, Md5};
use sha2::Sha256;
use tokio::fs;
use tokio::io::AsyncWriteExt;

use super::{Hashing, ReceiveError, StoredFile, hex};

/// The directory of uploaded files: `files/` for complete ones, `files/incoming/` while
/// they arrive.
#[derive(Debug, Clone)]
pub struct Disk {
    root: PathBuf,
}

impl Disk {
    /// Opens the directory, creating it, and discards uploads a previous run left unfinished.
    pub async fn open(root: &Path) -> io::Result<Self> {
        let incoming = root.join("incoming");
        if fs::try_exists(&incoming).await? {
            fs::remove_dir_all(&incoming).await?;
        }
        fs::create_dir_all(&incoming).await?;
        Ok(Self { root: root.to_owned() })
    }

    /// Where a complete file lives.
    pub fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    /// Receives `body` as the file `key`, refusing more than `limit` bytes.
    pub async fn receive<S, E>(&self, key: &str, body: S, limit: u64) -> Result<StoredFile, ReceiveError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let partial = self.root.join("incoming").join(format!("{key}.part"));
        // Created only if absent: a second upload to the same key cannot mix its bytes in.
        let file = match fs::OpenOptions::new().write(true).create_new(true).open(&partial).await {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => return Err(ReceiveError::Busy),
            Err(error) => return Err(error.into()),
        };
        let received = write(file, body, limit, key).await;
        // Linked rather than renamed into place: a link never replaces a file that another
        // upload to the same key completed first.
        let placed = match received {
            Ok(stored) => match fs::hard_link(&partial, self.path(key)).await {
                Ok(()) => Ok(stored),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Err(ReceiveError::Busy),
                Err(error) => Err(error.into()),
            },
            Err(error) => Err(error),
        };
        let _ = fs::remove_file(&partial).await;
        // The new name is durable only once the directory itself is on disk.
        let stored = placed?;
        sync_dir(&self.root).await?;
        Ok(stored)
    }

    /// Creates a file of `size` bytes that starts with `header` and is zeros after it, stored
    /// sparsely (the demo dataset's packages: real, downloadable, but cheap on disk).
    pub async fn create_sparse(&self, key: &str, header: &[u8], size: u64) -> Result<StoredFile, ReceiveError> {
        let head = header[..header.len().min(size as usize)].to_vec();
        let mut file = fs::File::create(self.path(key)).await?;
        file.write_all(&head).await?;
        file.set_len(size).await?;
        file.sync_all().await?;
        // The two digests of the same bytes, on both cores.
        let zeros = size - head.len() as u64;
        let md5 = tokio::task::spawn_blocking({
            let head = head.clone();
            move || hex(&digest_of_zeros(Md5::new(), &head, zeros))
        });
        let sha256 = hex(&digest_of_zeros(Sha256::new(), &head, zeros));
        let md5 = md5.await.map_err(|e| ReceiveError::Interrupted(e.to_string()))?;
        Ok(StoredFile { size, md5, sha256, object: key.to_owned() })
    }

    /// Bytes free for uploads on the directory's file system.
    pub fn available_space(&self) -> io::Result<u64> {
        #[cfg(unix)]
        {
            let stats = rustix::fs::statvfs(&self.root)?;
            Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
        }
        #[cfg(not(unix))]
        Ok(u64::MAX)
    }

    /// Deletes a file; one that is already gone is fine.
    pub async fn remove(&self, key: &str) -> io::Result<()> {
        match fs::remove_file(self.path(key)).await {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }
}

/// Writes `body` to `file` while hashing it, refusing more than `limit` bytes.
async fn write<S, E>(mut file: fs::File, body: S, limit: u64, key: &str) -> Result<StoredFile, ReceiveError>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: std::fmt::Display,
{
    let mut hashing = Hashing::new(limit);
    let mut body = std::pin::pin!(body);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| ReceiveError::Interrupted(e.to_string()))?;
        hashing.update(&chunk)?;
        file.write_all(&chunk).await?;
    }
    file.sync_all().await?;
    Ok(hashing.finish(key.to_owned()))
}

/// Flushes a directory's entries (a rename into it) to disk.
async fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir).await?.sync_all().await?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The digest of `head` followed by `zeros` zero bytes.
fn digest_of_zeros<D: Digest>(mut digest: D, head: &[u8], zeros: u64) -> Vec<u8> {
    digest.update(head);
    let block = vec![0_u8; 1 << 20];
    let mut left = zeros;
    while left > 0 {
        let chunk = &block[..left.min(block.len() as u64) as usize];
        digest.update(chunk);
        left -= chunk.len() as u64;
    }
    digest.finalize().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static str]) -> impl Stream<Item = Result<Bytes, String>> {
        futures_util::stream::iter(parts.iter().map(|p| Ok(Bytes::from_static(p.as_bytes()))).collect::<Vec<_>>())
    }

    #[tokio::test]
    async fn a_file_is_hashed_while_it_arrives_and_then_moved_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let store = Disk::open(dir.path()).await.unwrap();
        let stored = store.receive("k1.bin", chunks(&["hello ", "world"]), 100).await.unwrap();
        assert_eq!(stored.size, 11);
        assert_eq!(stored.md5, "5eb63bbbe01eeed093cb22bb8f5acdc3");
        assert_eq!(stored.sha256, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        assert_eq!(std::fs::read(store.path("k1.bin")).unwrap(), b"hello world");
    }

    #[tokio::test]
    async fn nothing_survives_a_file_that_is_too_large_or_broken_off() {
        let dir = tempfile::tempdir().unwrap();
        let store = Disk::open(dir.path()).await.unwrap();
        let too_large = store.receive("k2.bin", chunks(&["12345", "67890"]), 8).await;
        assert!(matches!(too_large, Err(ReceiveError::TooLarge { limit: 8 })));
        let broken = futures_util::stream::iter(vec![Ok(Bytes::from_static(b"abc")), Err("reset".to_owned())]);
        assert!(matches!(store.receive("k3.bin", broken, 100).await, Err(ReceiveError::Interrupted(_))));
        assert!(!store.path("k2.bin").exists() && !store.path("k3.bin").exists());
        assert_eq!(std::fs::read_dir(dir.path().join("incoming")).unwrap().count(), 0);
    }

    #[tokio::test]
    async fn a_second_upload_to_a_key_still_arriving_is_refused_and_mixes_nothing_in() {
        let dir = tempfile::tempdir().unwrap();
        let store = Disk::open(dir.path()).await.unwrap();
        let (go_on, wait) = tokio::sync::oneshot::channel::<()>();
        let slow = futures_util::stream::once(async { Ok::<_, String>(Bytes::from_static(b"first ")) }).chain(
            futures_util::stream::once(async move {
                let _ = wait.await;
                Ok(Bytes::from_static(b"upload"))
            }),
        );
        let first = tokio::spawn({
            let store = store.clone();
            async move { store.receive("k4.bin", slow, 100).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let second = store.receive("k4.bin", chunks(&["SECOND"]), 100).await;
        assert!(matches!(second, Err(ReceiveError::Busy)), "{second:?}");
        go_on.send(()).unwrap();
        first.await.unwrap().unwrap();
        assert_eq!(std::fs::read(store.path("k4.bin")).unwrap(), b"first upload");
        // Nor can one that starts after the first completed replace it.
        let late = store.receive("k4.bin", chunks(&["LATE"]), 100).await;
        assert!(matches!(late, Err(ReceiveError::Busy)), "{late:?}");
        assert_eq!(std::fs::read(store.path("k4.bin")).unwrap(), b"first upload");
        assert_eq!(std::fs::read_dir(dir.path().join("incoming")).unwrap().count(), 0);
    }
}
