//! A small SMTP server on loopback that accepts every message and keeps it, so tests read what
//! Orderdesk really sent over the wire. Speaks just enough SMTP (RFC 5321) for a client:
//! greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; started with a certificate it also
//! offers STARTTLS (RFC 3207) and, once in TLS, AUTH PLAIN (refusing the password `refused`). It records every command verb it
//! heard (`AUTH/tls` when heard inside TLS), so a test can show what crossed the wire in clear.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as received: the envelope recipients, the raw data (headers and body), and
/// whether it came inside TLS.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
    pub tls: bool,
}

#[derive(Default)]
struct Heard {
    messages: Mutex<Vec<Received>>,
    verbs: Mutex<Vec<String>>,
}

/// The running sink.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    heard: Arc<Heard>,
}

impl SmtpSink {
    /// A sink without TLS.
    pub async fn start() -> SmtpSink {
        Self::launch(None).await
    }

    /// A sink that offers STARTTLS with this certificate and PKCS #8 key (DER).
    pub async fn start_with_starttls(certificate: Vec<u8>, key: Vec<u8>) -> SmtpSink {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(certificate)],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
            )
            .expect("a TLS server configuration");
        Self::launch(Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))).await
    }

    async fn launch(tls: Option<tokio_rustls::TlsAcceptor>) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port for the SMTP sink");
        let port = listener.local_addr().expect("its address").port();
        let heard = Arc::new(Heard::default());
        let shared = heard.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, shared.clone(), tls.clone(), false));
            }
        });
        SmtpSink { port, heard }
    }

    /// `smtp://127.0.0.1:<port>`, for ORDERDESK_SMTP_URL.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every command verb a client sent so far (`EHLO`, `STARTTLS`, `AUTH/tls`, …).
    pub fn verbs(&self) -> Vec<String> {
        self.heard.verbs.lock().unwrap().clone()
    }

    /// How many messages arrived.
    pub fn received(&self) -> usize {
        self.heard.messages.lock().unwrap().len()
    }

    /// Waits up to ten seconds for a message to `to` whose data contains `needle`.
    pub async fn wait_for(&self, to: &str, needle: &str) -> Received {
        for _ in 0..100 {
            let found = self
                .heard
                .messages
                .lock()
                .unwrap()
                .iter()
                .find(|m| m.to.iter().any(|r| r == to) && m.data.contains(needle))
                .cloned();
            if let Some(message) = found {
                return message;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the SMTP sink received no message to {to} with {needle:?}");
    }
}

/// The password of `AUTH PLAIN <base64 of "\0user\0password">`.
fn password_of(line: &str) -> String {
    use base64::Engine as _;
    let encoded = line.split_whitespace().nth(2).unwrap_or_default();
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default();
    String::from_utf8_lossy(&decoded).rsplit('\0').next().unwrap_or_default().to_string()
}

/// A connection, plain or inside TLS.
trait Connection: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Connection for T {}

/// One client connection; `secure` once inside TLS. STARTTLS hands the connection to a new
/// session inside TLS, hence the boxed future and connection.
fn session(
    stream: impl Connection + 'static,
    heard: Arc<Heard>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    secure: bool,
) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    let stream: Box<dyn Connection> = Box::new(stream);
    serve(stream, heard, tls, secure)
}

fn serve(
    stream: Box<dyn Connection>,
    heard: Arc<Heard>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    secure: bool,
) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async move {
        let (read, mut write) = tokio::io::split(stream);
        let mut lines = BufReader::new(read).lines();
        let mut to = Vec::new();
        if !secure {
            let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
        }
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
            heard.verbs.lock().unwrap().push(if secure { format!("{verb}/tls") } else { verb.clone() });
            let reply: &[u8] = match verb.as_str() {
                "EHLO" if secure => b"250-sink.test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n",
                "EHLO" if tls.is_some() => b"250-sink.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n",
                "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
                "STARTTLS" if !secure && tls.is_some() => {
                    let _ = write.write_all(b"220 Ready to start TLS\r\n").await;
                    let stream = lines.into_inner().into_inner().unsplit(write);
                    if let Some(acceptor) = tls
                        && let Ok(encrypted) = acceptor.accept(stream).await
                    {
                        serve(Box::new(encrypted), heard, None, true).await;
                    }
                    return;
                }
                // The password `refused` is refused, as a relay refuses wrong credentials.
                "AUTH" if secure && password_of(&line) == "refused" => {
                    b"535 5.7.8 Authentication credentials invalid\r\n"
                }
                "AUTH" if secure => b"235 2.7.0 Authentication successful\r\n",
                "HELO" | "MAIL" | "NOOP" => b"250 OK\r\n",
                "RSET" => {
                    to.clear();
                    b"250 OK\r\n"
                }
                "RCPT" => {
                    let address =
                        line.split_once('<').and_then(|(_, rest)| rest.split_once('>')).map(|(a, _)| a);
                    to.push(address.unwrap_or_default().to_string());
                    b"250 OK\r\n"
                }
                "DATA" => {
                    let _ = write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await;
                    let mut data = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line == "." {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                        data.push('\n');
                    }
                    let message = Received { to: std::mem::take(&mut to), data, tls: secure };
                    heard.messages.lock().unwrap().push(message);
                    b"250 OK: queued\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 Bye\r\n").await;
                    return;
                }
                _ => b"502 Command not implemented\r\n",
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
            let _ = write.flush().await;
        }
    })
}
