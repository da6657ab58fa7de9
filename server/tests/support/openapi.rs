//! A checker of HTTP exchanges against the official Marketplace OpenAPI spec (the copy in
//! `docs/stackit/`): the request's path, query parameters and body, and the response's status and
//! body, for the subset of OpenAPI 3.0 the spec uses ($ref, allOf, type, format, enum,
//! properties, required, items).

use serde_json::Value;
use server::marketplace::simulator::Exchange;

pub struct Spec {
    doc: Value,
}

impl Spec {
    pub fn load() -> Self {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/stackit/stackit-marketplace.openapi.json");
        let text = std::fs::read_to_string(path).expect("the committed OpenAPI spec");
        Spec { doc: serde_json::from_str(&text).expect("the spec is JSON") }
    }

    /// Checks every exchange; returns one line per violation.
    pub fn violations(&self, exchanges: &[Exchange]) -> Vec<String> {
        exchanges
            .iter()
            .filter_map(|e| {
                self.check(e).err().map(|why| format!("{} {} → {}: {why}", e.method, e.path, e.status))
            })
            .collect()
    }

    /// Checks one exchange of the Marketplace API (paths outside `/v1/` belong to the identity
    /// service or the simulator's controls and are not in this spec).
    pub fn check(&self, exchange: &Exchange) -> Result<(), String> {
        if !exchange.path.starts_with("/v1/") || exchange.path.ends_with("/keys.json") {
            return Ok(());
        }
        let (template, item) = self.path_item(&exchange.path).ok_or("path not in the spec")?;
        let operation = item
            .get(exchange.method.to_lowercase())
            .ok_or_else(|| format!("{template} has no {}", exchange.method))?;
        self.check_query(item, operation, exchange.query.as_deref())?;
        self.check_request_body(operation, exchange)?;
        if exchange.injected {
            return Ok(());
        }
        self.check_response(operation, exchange)
    }

    fn path_item(&self, path: &str) -> Option<(&str, &Value)> {
        let segments: Vec<&str> = path.split('/').collect();
        self.doc["paths"].as_object()?.iter().find_map(|(template, item)| {
            let parts: Vec<&str> = template.split('/').collect();
            let matches = parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(t, s)| (t.starts_with('{') && !s.is_empty()) || t == s);
            matches.then_some((template.as_str(), item))
        })
    }

    fn check_query(&self, item: &Value, operation: &Value, query: Option<&str>) -> Result<(), String> {
        let declared: Vec<&Value> = [&item["parameters"], &operation["parameters"]]
            .into_iter()
            .filter_map(Value::as_array)
            .flatten()
            .map(|p| self.resolve(p))
            .filter(|p| p["in"] == "query")
            .collect();
        let pairs: Vec<(String, String)> = query
            .map(|q| {
                q.split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        let (k, v) = p.split_once('=').unwrap_or((p, ""));
                        (decode(k), decode(v))
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (name, value) in &pairs {
            let parameter = declared
                .iter()
                .find(|p| p["name"] == name.as_str())
                .ok_or_else(|| format!("query parameter {name} is not in the spec"))?;
            let value = match parameter["schema"]["type"].as_str() {
                Some("integer") => {
                    value.parse::<i64>().map(Value::from).map_err(|_| format!("{name}={value}"))?
                }
                Some("boolean") => match value.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => return Err(format!("{name}={value} is not a boolean")),
                },
                _ => Value::String(value.clone()),
            };
            self.validate(&parameter["schema"], &value, name)?;
        }
        for parameter in declared.iter().filter(|p| p["required"] == true) {
            if !pairs.iter().any(|(k, _)| parameter["name"] == k.as_str()) {
                return Err(format!("required query parameter {} missing", parameter["name"]));
            }
        }
        Ok(())
    }

    fn check_request_body(&self, operation: &Value, exchange: &Exchange) -> Result<(), String> {
        let body = &operation["requestBody"];
        let empty = exchange.request_body.iter().all(u8::is_ascii_whitespace);
        if body.is_null() {
            return if empty { Ok(()) } else { Err("a body where the spec has none".into()) };
        }
        let body = self.resolve(body);
        if empty {
            return if body["required"] == true {
                Err("the required body is missing".into())
            } else {
                Ok(())
            };
        }
        if !exchange.content_type.as_deref().is_some_and(|c| c.starts_with("application/json")) {
            return Err(format!("request content type {:?} is not application/json", exchange.content_type));
        }
        let value: Value = serde_json::from_slice(&exchange.request_body)
            .map_err(|e| format!("request body is not JSON: {e}"))?;
        self.validate(&body["content"]["application/json"]["schema"], &value, "request")
    }

    fn check_response(&self, operation: &Value, exchange: &Exchange) -> Result<(), String> {
        let responses = &operation["responses"];
        let response = responses
            .get(exchange.status.to_string())
            .or_else(|| responses.get("default"))
            .ok_or_else(|| format!("status {} is not in the spec", exchange.status))?;
        let response = self.resolve(response);
        match response.get("content").and_then(|c| c.get("application/json")) {
            Some(content) => {
                let value: Value = serde_json::from_slice(&exchange.response_body)
                    .map_err(|e| format!("response body is not JSON: {e}"))?;
                self.validate(&content["schema"], &value, "response")
            }
            None if exchange.response_body.is_empty() => Ok(()),
            None => Err("a response body where the spec has none".into()),
        }
    }

    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.trim_start_matches('#');
                self.resolve(self.doc.pointer(pointer).unwrap_or(&Value::Null))
            }
            None => value,
        }
    }

    /// Validates `value` against `schema`; `at` names the place for messages.
    pub fn validate(&self, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
        let schema = self.resolve(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.validate(part, value, at)?;
            }
        }
        if value.is_null() && schema["nullable"] == true {
            return Ok(());
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") | None if schema.get("properties").is_some() => {
                let object =
                    value.as_object().ok_or_else(|| format!("{at}: expected an object, got {value}"))?;
                for required in schema["required"].as_array().into_iter().flatten() {
                    let name = required.as_str().unwrap_or_default();
                    if !object.contains_key(name) {
                        return Err(format!("{at}: required field {name} missing"));
                    }
                }
                for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                    if let Some(field) = object.get(name) {
                        self.validate(property, field, &format!("{at}.{name}"))?;
                    }
                }
            }
            Some("object") if !value.is_object() => return Err(format!("{at}: expected an object")),
            Some("array") => {
                let items = value.as_array().ok_or_else(|| format!("{at}: expected an array"))?;
                for (i, item) in items.iter().enumerate() {
                    self.validate(&schema["items"], item, &format!("{at}[{i}]"))?;
                }
            }
            Some("string") if !value.is_string() => {
                return Err(format!("{at}: expected a string, got {value}"));
            }
            Some("boolean") if !value.is_boolean() => {
                return Err(format!("{at}: expected a boolean, got {value}"));
            }
            Some("integer") => {
                let number =
                    value.as_i64().ok_or_else(|| format!("{at}: expected an integer, got {value}"))?;
                if schema["format"] == "int32" && i32::try_from(number).is_err() {
                    return Err(format!("{at}: {number} is not an int32"));
                }
            }
            _ => {}
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
        if schema["format"] == "date-time" {
            let text = value.as_str().unwrap_or_default();
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .map_err(|_| format!("{at}: {text} is not an RFC 3339 date-time"))?;
        }
        Ok(())
    }
}

fn decode(text: &str) -> String {
    let text = text.replace('+', " ");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
