import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InboundOrder } from "./inboundOrder.js";
import { OutboundQueue } from "./outboundQueue.js";

describe("inbound order", () => {
  it("delivers in sequence order, holding early arrivals", () => {
    const order = new InboundOrder<string>();
    assert.deepEqual(order.arrive(1, "b"), { status: "accepted", ready: [] });
    assert.deepEqual(order.arrive(0, "a"), { status: "accepted", ready: ["a", "b"] });
    assert.deepEqual(order.arrive(2, "c"), { status: "accepted", ready: ["c"] });
    assert.equal(order.next, 3);
  });

  it("calls delivered and waiting messages duplicates", () => {
    const order = new InboundOrder<string>();
    order.arrive(0, "a");
    order.arrive(2, "c");
    assert.deepEqual(order.arrive(0, "a"), { status: "duplicate" });
    assert.deepEqual(order.arrive(2, "c"), { status: "duplicate" });
  });

  it("refuses early messages beyond its capacity, but never the one it waits for", () => {
    const order = new InboundOrder<string>(2);
    order.arrive(1, "b");
    order.arrive(2, "c");
    assert.deepEqual(order.arrive(3, "d"), { status: "full" });
    assert.deepEqual(order.arrive(0, "a"), { status: "accepted", ready: ["a", "b", "c"] });
  });
});

describe("outbound queue", () => {
  it("resends only what has waited a full interval, until acknowledged", () => {
    const q = new OutboundQueue();
    const f0 = Buffer.from("0");
    const f1 = Buffer.from("1");
    q.add(0, f0, 1000);
    q.add(1, f1, 1300);
    assert.deepEqual(q.due(1499, 500), []);
    assert.deepEqual(q.due(1500, 500), [f0]);
    assert.deepEqual(q.due(1800, 500), [f1]);
    assert.equal(q.acknowledge(0), true);
    assert.equal(q.acknowledge(0), false);
    assert.deepEqual(q.due(2300, 500), [f1]);
    assert.equal(q.size, 1);
  });

  it("hands out never-sent messages once", () => {
    const q = new OutboundQueue();
    const f = Buffer.from("x");
    q.add(0, f, undefined);
    assert.deepEqual(q.unsent(10), [f]);
    assert.deepEqual(q.unsent(20), []);
    assert.deepEqual(q.due(509, 500), []);
    assert.deepEqual(q.due(510, 500), [f]);
  });
});
