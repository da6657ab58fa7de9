"""STACKIT's official Python SDK against the Orderdesk simulator.

Run by scripts/sdk-conformance with a running `orderdesk simulator`. Uses the SDK exactly as a
vendor would: the key file from --vendor-key-out, a custom API endpoint and a custom token
endpoint. Exits non-zero on the first thing that does not work.
"""

import argparse
import json
import sys
import time
import urllib.request
import uuid

from stackit.core.configuration import Configuration
from stackit.stackitmarketplace.api.default_api import DefaultApi
from stackit.stackitmarketplace.models.approve_subscription_payload import ApproveSubscriptionPayload
from stackit.stackitmarketplace.models.consumers_subscriptions_create_payload import (
    ConsumersSubscriptionsCreatePayload,
)
from stackit.stackitmarketplace.models.resolve_customer_payload import ResolveCustomerPayload


def control(url, path, body):
    request = urllib.request.Request(
        url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def check(condition, message):
    if not condition:
        print(f"FAIL: {message}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {message}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key-file", required=True)
    parser.add_argument("--project", required=True)
    args = parser.parse_args()

    vendor = DefaultApi(
        Configuration(
            service_account_key_path=args.key_file,
            custom_endpoint=args.url,
            custom_token_endpoint=args.url + "/token",
        )
    )

    # V2 with paging: every seeded subscription, parsed by the SDK's strict models.
    seen, cursor = [], None
    while True:
        page = vendor.vendors_subscriptions_list_by_project(
            args.project, cursor=cursor, limit=7, include_expired=True
        )
        seen.extend(page.items or [])
        cursor = page.cursor
        if not cursor:
            break
    check(len(seen) == 30, f"listed all 30 seeded subscriptions in pages of 7 ({len(seen)})")
    check(len({s.subscription_id for s in seen}) == len(seen), "no subscription listed twice")
    organization = seen[0].organization_id
    by_org = vendor.vendors_subscriptions_list_by_organization(organization, include_expired=True)
    check(any(s.subscription_id == seen[0].subscription_id for s in by_org.items), "V3 lists by organization")

    # Play the customer: order a live and a preview product with a consumer token.
    customer_project = str(uuid.uuid4())
    token = control(args.url, "/simulator/consumer-tokens", {"projectId": customer_project})["accessToken"]
    consumer = DefaultApi(Configuration(service_account_token=token, custom_endpoint=args.url))
    live = consumer.consumers_subscriptions_create(
        customer_project,
        ConsumersSubscriptionsCreatePayload(
            product_id="datavault-1a2b3c4d", sku="dv-starter-5e6f7a8b", consumer_notification_email="it@example.com"
        ),
    )
    check(live.lifecycle_state == "SUBSCRIPTION_PENDING", "a new order is pending")
    preview = consumer.consumers_subscriptions_create(
        customer_project,
        ConsumersSubscriptionsCreatePayload(product_id="insight-0a1b2c3d", sku="in-trial-4d5e6f7a"),
    )

    # The sign-up redirect and V1.
    redirect = consumer.consumers_subscriptions_redirects_get(customer_project, live.subscription_id)
    signup_token = redirect.redirect_url.split("x-stackit-marketplace-token=")[1]
    resolved = vendor.resolve_customer(args.project, ResolveCustomerPayload(token=signup_token))
    check(resolved.subscription_id == live.subscription_id, "ResolveCustomer returns the ordered subscription")

    # V5, V4, V6.
    vendor.approve_subscription(
        args.project, live.subscription_id, ApproveSubscriptionPayload(instance_target="https://acme.example")
    )
    got = vendor.vendors_subscriptions_get(args.project, live.subscription_id)
    check(got.lifecycle_state == "SUBSCRIPTION_ACTIVE", "approved subscription is active")
    vendor.vendors_subscriptions_reject(args.project, preview.subscription_id)
    got = vendor.vendors_subscriptions_get(args.project, preview.subscription_id, include_expired=True)
    check(got.lifecycle_state == "SUBSCRIPTION_REJECTED", "rejected preview subscription")

    # Cancelling through the consumer API.
    consumer.consumers_subscriptions_cancel(customer_project, live.subscription_id)
    got = vendor.vendors_subscriptions_get(args.project, live.subscription_id)
    check(got.lifecycle_state == "SUBSCRIPTION_CANCELLING", "cancelled subscription is cancelling")
    print("STACKIT's Python SDK works against the simulator")


if __name__ == "__main__":
    started = time.time()
    main()
    print(f"({time.time() - started:.1f} s)")
