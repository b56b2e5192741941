use std::time::Duration;

use serde_json::Value as Json;
use tonic::metadata::{MetadataKey, MetadataValue};

use crate::json::{from_json, struct_from_json};
use crate::{Error, pb};

/// A run to create, with its JSON written as `serde_json::Value`: the common fields of
/// `StreamRunRequest` and `WaitRunRequest`, plus the call's deadline and request metadata.
///
/// One `RunRequest` serves both calls (`runs().stream(&req)`, `runs().wait(&req)`). For a field
/// it has no setter for, build the generated message ([`pb::StreamRunRequest`],
/// [`pb::WaitRunRequest`]) yourself: both calls take it too, bare or in a `tonic::Request`.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    assistant_id: String,
    thread_id: Option<String>,
    input: Option<Json>,
    command: Option<pb::Command>,
    config: Option<Json>,
    context: Option<Json>,
    metadata: Option<Json>,
    stream_mode: Vec<String>,
    stream_subgraphs: Option<bool>,
    on_disconnect: Option<pb::OnDisconnect>,
    timeout: Option<Duration>,
    headers: Vec<(String, String)>,
}

impl RunRequest {
    /// A run of the assistant (an assistant id or a graph name).
    pub fn new(assistant_id: impl Into<String>) -> Self {
        RunRequest { assistant_id: assistant_id.into(), ..Default::default() }
    }

    /// Runs on this thread (`/threads/{thread_id}/runs/...`) instead of statelessly.
    pub fn thread_id(mut self, thread_id: impl Into<String>) -> Self {
        self.thread_id = Some(thread_id.into());
        self
    }

    /// The graph's input.
    pub fn input(mut self, input: Json) -> Self {
        self.input = Some(input);
        self
    }

    /// `command.resume`: the value for an interrupted node.
    pub fn resume(mut self, value: Json) -> Self {
        self.command.get_or_insert_with(Default::default).resume = Some(from_json(&value));
        self
    }

    /// `command.update`: an update to the state.
    pub fn update(mut self, value: Json) -> Self {
        self.command.get_or_insert_with(Default::default).update = Some(from_json(&value));
        self
    }

    /// `command.goto`: the node(s) to go to next.
    pub fn goto(mut self, value: Json) -> Self {
        self.command.get_or_insert_with(Default::default).goto = Some(from_json(&value));
        self
    }

    /// The run's config (a JSON object).
    pub fn config(mut self, config: Json) -> Self {
        self.config = Some(config);
        self
    }

    /// The run's context (a JSON object).
    pub fn context(mut self, context: Json) -> Self {
        self.context = Some(context);
        self
    }

    /// The run's metadata (a JSON object).
    pub fn metadata(mut self, metadata: Json) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Stream modes as the HTTP API spells them: `"values"`, `"updates"`, `"messages-tuple"`, ...
    pub fn stream_mode<I, S>(mut self, modes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.stream_mode = modes.into_iter().map(Into::into).collect();
        self
    }

    /// Also stream the events of subgraphs.
    pub fn stream_subgraphs(mut self, yes: bool) -> Self {
        self.stream_subgraphs = Some(yes);
        self
    }

    /// What the server does with the run when the stream is dropped.
    pub fn on_disconnect(mut self, policy: pb::OnDisconnect) -> Self {
        self.on_disconnect = Some(policy);
        self
    }

    /// The call's deadline (it also bounds the upstream request).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A request metadata entry, e.g. `authorization` or `x-api-key` (passed upstream).
    pub fn header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((key.into(), value.into()));
        self
    }

    fn into_request<M>(self, message: M) -> Result<tonic::Request<M>, Error> {
        let mut request = tonic::Request::new(message);
        if let Some(timeout) = self.timeout {
            request.set_timeout(timeout);
        }
        for (key, value) in self.headers {
            let parsed_key = MetadataKey::from_bytes(key.as_bytes())
                .map_err(|_| Error::invalid_argument(format!("bad metadata key {key:?}")))?;
            let parsed_value = MetadataValue::try_from(value.as_str())
                .map_err(|_| Error::invalid_argument(format!("bad metadata value for {key:?}")))?;
            request.metadata_mut().append(parsed_key, parsed_value);
        }
        Ok(request)
    }
}

fn object(field: &str, value: Option<&Json>) -> Result<Option<prost_types::Struct>, Error> {
    match value {
        None => Ok(None),
        Some(Json::Object(map)) => Ok(Some(struct_from_json(map))),
        Some(_) => Err(Error::invalid_argument(format!("{field} must be a JSON object"))),
    }
}

/// What `runs().stream(..)` and `runs().wait(..)` accept: a [`RunRequest`] (or a reference to
/// one), the generated message, or the generated message in a `tonic::Request`.
pub trait IntoRunRequest<M> {
    /// Builds the call's request; a request that cannot be sent is `INVALID_ARGUMENT`.
    fn into_run_request(self) -> Result<tonic::Request<M>, Error>;
}

macro_rules! run_message {
    ($message:ty) => {
        impl IntoRunRequest<$message> for RunRequest {
            fn into_run_request(self) -> Result<tonic::Request<$message>, Error> {
                let message = <$message>::try_from(&self)?;
                self.into_request(message)
            }
        }

        impl IntoRunRequest<$message> for &RunRequest {
            fn into_run_request(self) -> Result<tonic::Request<$message>, Error> {
                self.clone().into_run_request()
            }
        }

        impl IntoRunRequest<$message> for $message {
            fn into_run_request(self) -> Result<tonic::Request<$message>, Error> {
                Ok(tonic::Request::new(self))
            }
        }

        impl IntoRunRequest<$message> for tonic::Request<$message> {
            fn into_run_request(self) -> Result<tonic::Request<$message>, Error> {
                Ok(self)
            }
        }

        impl TryFrom<&RunRequest> for $message {
            type Error = Error;

            fn try_from(req: &RunRequest) -> Result<Self, Error> {
                let mut message = <$message>::default();
                message.assistant_id = req.assistant_id.clone();
                message.thread_id = req.thread_id.clone();
                message.input = req.input.as_ref().map(from_json);
                message.command = req.command.clone();
                message.config = object("config", req.config.as_ref())?;
                message.context = object("context", req.context.as_ref())?;
                message.metadata = object("metadata", req.metadata.as_ref())?;
                message.stream_mode = req.stream_mode.clone();
                message.stream_subgraphs = req.stream_subgraphs;
                if let Some(policy) = req.on_disconnect {
                    message.set_on_disconnect(policy);
                }
                Ok(message)
            }
        }
    };
}

run_message!(pb::StreamRunRequest);
run_message!(pb::WaitRunRequest);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_both_messages() {
        let req = RunRequest::new("agent")
            .input(json!({"messages": []}))
            .config(json!({"configurable": {"x": 1}}))
            .stream_mode(["updates", "values"])
            .on_disconnect(pb::OnDisconnect::Cancel)
            .timeout(Duration::from_secs(5))
            .header("x-request-id", "abc");
        let stream: tonic::Request<pb::StreamRunRequest> = (&req).into_run_request().unwrap();
        assert_eq!(stream.metadata().get("x-request-id").unwrap(), "abc");
        assert_eq!(stream.metadata().get("grpc-timeout").unwrap(), "5000000u");
        let message = stream.into_inner();
        assert_eq!(message.assistant_id, "agent");
        assert_eq!(message.thread_id, None);
        assert_eq!(message.stream_mode, ["updates", "values"]);
        assert_eq!(message.on_disconnect(), pb::OnDisconnect::Cancel);
        assert!(message.config.unwrap().fields.contains_key("configurable"));
        let wait: tonic::Request<pb::WaitRunRequest> = req.into_run_request().unwrap();
        assert_eq!(crate::json::to_json(&wait.into_inner().input.unwrap()), json!({"messages": []}));
    }

    #[test]
    fn refuses_non_object_config() {
        let req = RunRequest::new("agent").config(json!([1]));
        let err = IntoRunRequest::<pb::WaitRunRequest>::into_run_request(req).unwrap_err();
        assert_eq!(err.code(), Some(tonic::Code::InvalidArgument));
    }
}
