//! A disk of its own for the campaign's data directory: a tmpfs of a fixed size (mounting one
//! needs root), which a filler file can fill to its last byte without touching the machine's disk.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted tmpfs, unmounted when dropped.
pub struct Tmpfs {
    pub path: PathBuf,
}

impl Tmpfs {
    pub fn mount(path: &Path, size: &str) -> Result<Self, String> {
        std::fs::create_dir_all(path).map_err(|e| e.to_string())?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !mounted.status.success() {
            return Err(format!("mount -t tmpfs failed: {}", String::from_utf8_lossy(&mounted.stderr).trim()));
        }
        Ok(Self { path: path.to_owned() })
    }

    /// Writes a file until the disk has no byte left; the disk is free again when it is dropped.
    pub fn fill(&self) -> std::io::Result<Filler> {
        let path = self.path.join("filler");
        let mut file = File::create(&path)?;
        for size in [1 << 20, 4096, 1] {
            let chunk = vec![0u8; size];
            while file.write_all(&chunk).is_ok() {}
        }
        Ok(Filler { path })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// The file that fills the disk; removed when dropped.
pub struct Filler {
    path: PathBuf,
}

impl Drop for Filler {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
