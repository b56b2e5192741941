//! StoreService through its generated client, as README.md shows it, against a live gateway:
//! LANGGRAPH_GATEWAY_ADDRESS=host:port cargo test

use langgraph_gateway::json::{struct_from_json, struct_to_json};
use langgraph_gateway::{Code, Error, GatewayClient, pb};
use serde_json::json;

async fn client() -> GatewayClient {
    let address = std::env::var("LANGGRAPH_GATEWAY_ADDRESS")
        .expect("LANGGRAPH_GATEWAY_ADDRESS must be set to the gateway's host:port");
    GatewayClient::connect(&address).await.unwrap_or_else(|err| panic!("connect to {address}: {err}"))
}

/// A namespace label no other test (or run of this one) uses.
fn unique_label() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("rust-{nanos}-{}", std::process::id())
}

#[tokio::test]
async fn readme_store_call() -> Result<(), Error> {
    let client = client().await;
    let namespace = vec!["users".to_owned(), unique_label()];

    // As in README.md:
    let mut store = client.store();
    let value = json!({"name": "Ada", "langs": ["rust"]});
    store
        .put_item(pb::PutItemRequest {
            namespace: namespace.clone(),
            key: "profile".into(),
            value: Some(struct_from_json(value.as_object().unwrap())),
            ..Default::default()
        })
        .await?;
    let item = store
        .get_item(pb::GetItemRequest {
            namespace: namespace.clone(),
            key: "profile".into(),
            ..Default::default()
        })
        .await?
        .into_inner()
        .item
        .expect("the item just put");

    assert_eq!(json!(struct_to_json(item.value.as_ref().unwrap())), value);
    assert_eq!(item.namespace, namespace);
    assert!(!item.created_at.is_empty());
    assert_eq!(item.score, None);

    let found = store
        .search_items(pb::SearchItemsRequest { namespace_prefix: namespace.clone(), ..Default::default() })
        .await?
        .into_inner();
    assert_eq!(found.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["profile"]);

    store.delete_item(pb::DeleteItemRequest { namespace: namespace.clone(), key: "profile".into() }).await?;
    let gone = store
        .get_item(pb::GetItemRequest { namespace, key: "profile".into(), ..Default::default() })
        .await?
        .into_inner();
    assert!(gone.item.is_none());
    Ok(())
}

#[tokio::test]
async fn store_errors_carry_the_error_info() {
    let status = client()
        .await
        .store()
        .put_item(pb::PutItemRequest { namespace: vec!["a.b".into()], key: "k".into(), ..Default::default() })
        .await
        .unwrap_err();
    let error = Error::from(status);
    assert_eq!(error.code(), Some(Code::InvalidArgument));
    assert_eq!(error.error_info().expect("ErrorInfo").domain, "langgraph-grpc-gateway");
}
