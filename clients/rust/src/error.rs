use std::fmt;

use tonic_types::{ErrorInfo, StatusExt};

/// An error of a gateway call: the connection could not be made, or the call ended with a gRPC
/// status (the gateway's errors, the transport's, and requests refused before they were sent,
/// which are `INVALID_ARGUMENT`).
#[derive(Debug)]
pub enum Error {
    /// Connecting to the gateway failed (bad address, refused, ...).
    Connect(tonic::transport::Error),
    /// The call ended with a non-OK gRPC status.
    Status(Box<tonic::Status>),
}

impl Error {
    /// The gRPC status code, if the call got that far.
    pub fn code(&self) -> Option<tonic::Code> {
        self.status().map(tonic::Status::code)
    }

    /// The gRPC status, if the call got that far.
    pub fn status(&self) -> Option<&tonic::Status> {
        match self {
            Error::Status(status) => Some(status),
            Error::Connect(_) => None,
        }
    }

    /// The `google.rpc.ErrorInfo` the gateway puts in the status details (domain
    /// `langgraph-grpc-gateway`, a reason such as `RUN_FAILED`, and metadata like `http_status`).
    pub fn error_info(&self) -> Option<ErrorInfo> {
        self.status().and_then(|status| status.get_details_error_info())
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Error::Status(Box::new(tonic::Status::invalid_argument(message)))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Connect(err) => write!(f, "cannot connect to the gateway: {err}"),
            Error::Status(status) => {
                write!(f, "{:?}: {}", status.code(), status.message())?;
                if let Some(info) = status.get_details_error_info() {
                    write!(f, " ({})", info.reason)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connect(err) => Some(err),
            Error::Status(status) => Some(status.as_ref()),
        }
    }
}

impl From<tonic::Status> for Error {
    fn from(status: tonic::Status) -> Self {
        Error::Status(Box::new(status))
    }
}

impl From<tonic::transport::Error> for Error {
    fn from(err: tonic::transport::Error) -> Self {
        Error::Connect(err)
    }
}
