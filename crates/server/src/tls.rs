//! TLS with rustls (ring's cryptography; no OpenSSL): the server's certificate for HTTPS and
//! MQTT over TLS, read from PEM files and read again on SIGHUP, and the client side for an
//! external broker reached with `mqtts://`.
//!
//! One [`Certificates`] serves every listener: connections open at a reload keep the
//! certificate they began with, new ones get the new one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, RootCertStore, ServerConfig};

/// What went wrong reading a certificate, key or CA file, worded for the operator.
pub type TlsError = String;

/// ring, as reqwest already uses: aws-lc-rs's post-quantum key exchange would add a large C
/// build for a threat (recorded traffic decrypted decades later) an OTA fleet does not weigh yet.
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The server's certificate chain and key, and the files they come from.
#[derive(Debug)]
pub struct Certificates {
    cert_file: PathBuf,
    key_file: PathBuf,
    current: RwLock<Arc<CertifiedKey>>,
}

impl Certificates {
    /// Reads `cert_file` (the chain, leaf first) and `key_file` (PKCS#8, PKCS#1 or SEC1).
    pub fn load(cert_file: &Path, key_file: &Path) -> Result<Arc<Self>, TlsError> {
        let key = read_pair(cert_file, key_file)?;
        Ok(Arc::new(Self {
            cert_file: cert_file.to_owned(),
            key_file: key_file.to_owned(),
            current: RwLock::new(Arc::new(key)),
        }))
    }

    /// Reads the files again; a broken pair is refused and the old one kept.
    pub fn reload(&self) -> Result<(), TlsError> {
        let key = read_pair(&self.cert_file, &self.key_file)?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(key);
        Ok(())
    }

    /// A server configuration offering `alpn` protocols (most preferred first).
    pub fn server_config(self: &Arc<Self>, alpn: &[&[u8]]) -> Arc<ServerConfig> {
        let mut config = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("ring supports TLS 1.2 and 1.3")
            .with_no_client_auth()
            .with_cert_resolver(self.clone());
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Arc::new(config)
    }

    /// Reads the files again on every SIGHUP, for as long as the server runs.
    pub fn reload_on_hangup(self: &Arc<Self>) {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let certificates = self.clone();
            let mut hangups = match signal(SignalKind::hangup()) {
                Ok(hangups) => hangups,
                Err(error) => {
                    tracing::error!("cannot watch for SIGHUP, so certificates are never reloaded: {error}");
                    return;
                }
            };
            tokio::spawn(async move {
                while hangups.recv().await.is_some() {
                    match certificates.reload() {
                        Ok(()) => tracing::info!(file = %certificates.cert_file.display(), "TLS certificate reloaded"),
                        Err(error) => tracing::error!("TLS certificate not reloaded, the old one stays: {error}"),
                    }
                }
            });
        }
    }
}

impl ResolvesServerCert for Certificates {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.read().unwrap_or_else(|e| e.into_inner()).clone())
    }
}

fn read_pair(cert_file: &Path, key_file: &Path) -> Result<CertifiedKey, TlsError> {
    let chain = read_certificates(cert_file)?;
    let key = PrivateKeyDer::from_pem_file(key_file)
        .map_err(|e| format!("{} holds no private key in PEM: {e}", key_file.display()))?;
    CertifiedKey::from_der(chain, key, &provider()).map_err(|e| {
        format!("{} and {} are not a certificate and its key: {e}", cert_file.display(), key_file.display())
    })
}

fn read_certificates(file: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let chain = CertificateDer::pem_file_iter(file)
        .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read certificates from {}: {e}", file.display()))?;
    if chain.is_empty() {
        return Err(format!("{} holds no certificate in PEM", file.display()));
    }
    Ok(chain)
}

/// A client configuration trusting the certificates in `ca_file`, or the Web PKI's roots when
/// there is none.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>, TlsError> {
    let mut roots = RootCertStore::empty();
    match ca_file {
        Some(file) => {
            for certificate in read_certificates(file)? {
                roots
                    .add(certificate)
                    .map_err(|e| format!("{} holds an unusable CA certificate: {e}", file.display()))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("no TLS version to offer: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec![name.to_owned()]).unwrap();
        let cert = params.self_signed(&key).unwrap();
        let (cert_file, key_file) = (dir.join(format!("{name}.crt")), dir.join(format!("{name}.key")));
        std::fs::write(&cert_file, cert.pem()).unwrap();
        std::fs::write(&key_file, key.serialize_pem()).unwrap();
        (cert_file, key_file)
    }

    fn subject_of(certificates: &Certificates) -> Vec<u8> {
        certificates.current.read().unwrap().cert[0].to_vec()
    }

    #[test]
    fn a_reload_takes_the_new_pair_and_a_broken_one_keeps_the_old() {
        let dir = tempfile::tempdir().unwrap();
        let (cert_file, key_file) = write_pair(dir.path(), "first.test");
        let certificates = Certificates::load(&cert_file, &key_file).unwrap();
        let first = subject_of(&certificates);

        let (new_cert, new_key) = write_pair(dir.path(), "second.test");
        std::fs::rename(new_cert, &cert_file).unwrap();
        std::fs::rename(new_key, &key_file).unwrap();
        certificates.reload().unwrap();
        let second = subject_of(&certificates);
        assert_ne!(first, second);

        std::fs::write(&key_file, "not a key").unwrap();
        let refused = certificates.reload().unwrap_err();
        assert!(refused.contains("no private key"), "{refused}");
        assert_eq!(subject_of(&certificates), second, "the working pair stays");
    }

    #[test]
    fn a_key_that_is_not_the_certificates_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (cert_file, _) = write_pair(dir.path(), "a.test");
        let (_, other_key) = write_pair(dir.path(), "b.test");
        let refused = Certificates::load(&cert_file, &other_key).unwrap_err();
        assert!(refused.contains("not a certificate and its key"), "{refused}");
        assert!(Certificates::load(&dir.path().join("missing.crt"), &other_key).is_err());
    }
}
