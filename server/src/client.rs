//! A small HTTP/1.1 client of this server, as a browser or a script talks to it: keep-alive
//! connection, session cookie, server functions by name, form bodies. Used by `jixiao load-test`
//! and by the fault tests that kill a running server.

use axum::body::{Body, Bytes};
use http_body_util::BodyExt;
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;

type Sender = hyper::client::conn::http1::SendRequest<Body>;

/// The answer to one request.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One user's connection to the server at `addr`.
pub struct Client {
    addr: SocketAddr,
    sender: Option<Sender>,
    cookie: Option<String>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client { addr, sender: None, cookie: None }
    }

    /// Another connection in the session `cookie` (from [`Client::cookie`] after a login).
    pub fn with_session(addr: SocketAddr, cookie: &str) -> Client {
        Client { addr, sender: None, cookie: Some(cookie.to_owned()) }
    }

    /// The session cookie, once signed in.
    pub fn cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    async fn connection(&mut self) -> anyhow::Result<&mut Sender> {
        let alive = match &mut self.sender {
            Some(s) => s.ready().await.is_ok(),
            None => false,
        };
        if !alive {
            let stream = tokio::net::TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(connection);
            self.sender = Some(sender);
        }
        let sender = self.sender.as_mut().ok_or_else(|| anyhow::anyhow!("no connection"))?;
        sender.ready().await?;
        Ok(sender)
    }

    async fn send(&mut self, builder: hyper::http::request::Builder, body: Body) -> anyhow::Result<Answer> {
        let mut builder = builder.header("host", self.addr.to_string());
        if let Some(cookie) = &self.cookie {
            builder = builder.header("cookie", cookie);
        }
        let request = builder.body(body)?;
        let sender = self.connection().await?;
        let response = match sender.send_request(request).await {
            Ok(r) => r,
            Err(e) => {
                self.sender = None;
                return Err(e.into());
            }
        };
        let status = response.status().as_u16();
        if let Some(cookie) = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .filter(|c| c.starts_with("jixiao_session="))
        {
            self.cookie = Some(cookie.to_owned());
        }
        let body = response.into_body().collect().await?.to_bytes();
        Ok(Answer { status, body })
    }

    /// `GET path` as a page load.
    pub async fn get(&mut self, path: &str) -> anyhow::Result<Answer> {
        self.send(Request::get(path).header("accept", "text/html"), Body::empty()).await
    }

    /// Calls the server function `name` with a URL-encoded form.
    pub async fn call(&mut self, name: &str, fields: &[(&str, &str)]) -> anyhow::Result<Answer> {
        let path = server_fn_path(name).ok_or_else(|| anyhow::anyhow!("no server function {name}"))?;
        let builder = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
        self.send(builder, Body::from(form(fields))).await
    }

    /// `POST path` with a body of the given content type.
    pub async fn post(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> anyhow::Result<Answer> {
        self.send(Request::post(path).header("content-type", content_type), Body::from(body)).await
    }

    /// Signs in; the session cookie goes with every later request.
    pub async fn login(&mut self, username: &str, password: &str) -> anyhow::Result<()> {
        let answer = self.call("login", &[("username", username), ("password", password)]).await?;
        anyhow::ensure!(answer.status == 200, "login of {username} answered {}: {}", answer.status, answer.text());
        anyhow::ensure!(self.cookie.is_some(), "login of {username} set no session cookie");
        Ok(())
    }
}

/// The URL path of the server function `name` (its registered path ends in the name and a hash).
pub fn server_fn_path(name: &str) -> Option<String> {
    leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).find(|p| {
        p.rsplit('/')
            .next()
            .is_some_and(|last| last.starts_with(name) && last[name.len()..].chars().all(|c| c.is_ascii_digit()))
    })
}

/// `application/x-www-form-urlencoded` of the fields.
pub fn form(fields: &[(&str, &str)]) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    fields
        .iter()
        .map(|(k, v)| {
            format!("{}={}", utf8_percent_encode(k, NON_ALPHANUMERIC), utf8_percent_encode(v, NON_ALPHANUMERIC))
        })
        .collect::<Vec<_>>()
        .join("&")
}
