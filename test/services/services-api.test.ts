import { expect } from "chai";
import {
  ENROLMENT_STATUSES,
  ENROLMENT_TRANSITIONS,
  RENTAL_STATUSES,
  RENTAL_TRANSITIONS,
  SESSION_STATUSES,
  SESSION_TRANSITIONS,
} from "../../api/src/modules/services/service-states.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/**
 * The services marketplace through the real API: a training and rental company (service_provider) lists a course
 * and a lift; the two repair shops enrol and rent. Seats never overbook under concurrent enrolments; retries with an
 * Idempotency-Key take one seat; every state table is walked pair by pair; settlements carry the commission.
 */
describe("services marketplace: courses, seats, rentals, deposits, claims and commission", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const key: Record<string, string> = {};
  const db = () => stack.svc.db.sql;
  const inAnHour = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

  const ok = (r: { status: number; json: Record<string, any> }, status = 200) => {
    expect(r.status, JSON.stringify(r.json)).to.equal(status);
    return r.json;
  };
  const course = async (priceFen = 120_000) =>
    ok(await api.call("POST", "/api/v1/services/courses", key.provider!, { title: "新能源高压安全", priceFen }), 201);
  const session = async (courseId: string, seats: number) => {
    const c = ok(
      await api.call("POST", `/api/v1/services/courses/${courseId}/sessions`, key.provider!, {
        startsAt: inAnHour(24),
        endsAt: inAnHour(32),
        place: "杭州市西湖区培训中心 3 楼",
        seats,
      }),
      201,
    );
    return c.sessions.at(-1).id as string;
  };
  const enrol = (sessionId: string, attendee: string, who = "shop", headers: Record<string, string> = {}) =>
    api.call("POST", `/api/v1/services/sessions/${sessionId}/enrolments`, key[who]!, { attendee }, headers);
  const seatsTaken = async (id: string) =>
    (await db().query<{ n: number }>("SELECT seats_taken AS n FROM service_sessions WHERE id = $1", [id])).rows[0]!.n;
  const equipment = async (body: Record<string, unknown> = {}) =>
    ok(
      await api.call("POST", "/api/v1/services/equipment", key.provider!, {
        name: "双柱举升机 4 吨",
        kind: "lift",
        billing: "time",
        rateFen: 6_000,
        depositFen: 50_000,
        place: "杭州市西湖区文三路 1 号",
        ...body,
      }),
      201,
    );
  const rent = (equipmentId: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    api.call("POST", `/api/v1/services/equipment/${equipmentId}/rentals`, key.shop!, body, headers);

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    const reg = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "杭州匠心汽修培训与设备租赁有限公司",
      uscc: uscc("91330106MA2C00017"),
      kind: "service_provider",
      regionCode: "330106",
      location: { lng: 120.13, lat: 30.27 },
    });
    expect(reg.status, JSON.stringify(reg.json)).to.equal(201);
    expect(reg.json.kind).to.equal("service_provider");
    api.keys.provider = reg.json.apiKey;
    api.ids.provider = reg.json.id;
    key.provider = await api.keyWithRoles("provider", ["service_manager"]);
    key.shop = await api.keyWithRoles("shop", ["buyer"]);
    key.farShop = await api.keyWithRoles("farShop", ["buyer"]);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("registers a service provider as a company kind with its own roles; shops browse, cannot list", async () => {
    const me = ok(await api.call("GET", "/api/v1/auth/me", key.provider!));
    expect(me.kind).to.equal("service_provider");
    expect(me.permissions).to.include.members(["service_offering:create", "service_settlement:create"]);
    const refused = await api.call("POST", "/api/v1/services/courses", key.shop!, { title: "x", priceFen: 1 });
    expect(refused.status).to.equal(403);
    expect(refused.json.needs).to.equal("service_offering:create");
    const c = await course();
    expect(c.id).to.match(/^crs_[0-9a-f]{16}$/);
    const listed = ok(await api.call("GET", "/api/v1/services/courses", key.shop!));
    expect(listed.courses.map((x: { id: string }) => x.id)).to.include(c.id);
    const bad = await api.call("POST", "/api/v1/services/courses", key.provider!, { title: "课程", priceFen: 12.5 });
    expect(bad.status).to.equal(400);
  });

  it("of concurrent enrolments for the last seat exactly one wins; cancelling frees it for the next", async () => {
    const c = await course();
    const s = await session(c.id, 3);
    ok(await enrol(s, "张师傅"), 201);
    ok(await enrol(s, "李师傅", "farShop"), 201);
    const racers = Array.from({ length: 8 }, (_, i) => enrol(s, `技师${i}`, i % 2 ? "shop" : "farShop"));
    const answers = await Promise.all(racers);
    const won = answers.filter((a) => a.status === 201);
    expect(won, JSON.stringify(answers.map((a) => a.status))).to.have.length(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).to.equal(409);
      expect(a.json.code).to.equal("SERVICE.FULLY_BOOKED");
    }
    expect(await seatsTaken(s)).to.equal(3);
    const live = await db().query("SELECT 1 FROM service_enrolments WHERE session_id = $1 AND status = 'enrolled'", [
      s,
    ]);
    expect(live.rows).to.have.length(3);
    // cancellation frees the seat; the next enrolment takes it; the one after is refused again
    const mine = ok(await api.call("GET", "/api/v1/services/enrolments", key.shop!)).enrolments.find(
      (e: { sessionId: string; attendee: string }) => e.sessionId === s && e.attendee === "张师傅",
    );
    const cancelled = ok(await api.call("POST", `/api/v1/services/enrolments/${mine.id}/cancel`, key.shop!));
    expect(cancelled.status).to.equal("cancelled");
    // a repeated cancel changes nothing (the seat is not freed twice)
    ok(await api.call("POST", `/api/v1/services/enrolments/${mine.id}/cancel`, key.shop!));
    expect(await seatsTaken(s)).to.equal(2);
    ok(await enrol(s, "王师傅"), 201);
    expect((await enrol(s, "赵师傅")).json.code).to.equal("SERVICE.FULLY_BOOKED");
    // another shop cannot see or cancel my enrolment: 404, as if none
    const foreign = await api.call("POST", `/api/v1/services/enrolments/${mine.id}/cancel`, key.farShop!);
    expect(foreign.status).to.equal(404);
  });

  it("a retried enrolment with the same Idempotency-Key takes one seat, even when the retries race", async () => {
    const c = await course();
    const s = await session(c.id, 5);
    const headers = { "idempotency-key": "enrol-retry-0001" };
    const answers = await Promise.all([1, 2, 3, 4].map(() => enrol(s, "钱师傅", "shop", headers)));
    for (const a of answers) expect(a.status, JSON.stringify(a.json)).to.equal(201);
    expect(new Set(answers.map((a) => a.json.id)).size).to.equal(1);
    expect(await seatsTaken(s)).to.equal(1);
    // the same key for another request is refused
    const reused = await enrol(s, "孙师傅", "shop", headers);
    expect(reused.status).to.equal(422);
    expect(reused.json.code).to.equal("IDEMPOTENCY.KEY_REUSED");
    // without a key, the same attendee twice is refused by name
    const twice = await enrol(s, "钱师傅");
    expect(twice.status).to.equal(409);
    expect(twice.json.code).to.equal("SERVICE.ALREADY_ENROLLED");
    expect(await seatsTaken(s)).to.equal(1);
  });

  it("completing a session settles each attended seat with the training commission (5%, half up)", async () => {
    const c = await course(12_345);
    const s = await session(c.id, 4);
    ok(await enrol(s, "周师傅"), 201);
    ok(await enrol(s, "吴师傅", "farShop"), 201);
    const done = ok(await api.call("POST", `/api/v1/services/sessions/${s}/complete`, key.provider!));
    expect(done.sessions.find((x: { id: string }) => x.id === s).status).to.equal("completed");
    const all = ok(await api.call("GET", "/api/v1/services/settlements", key.provider!)).settlements;
    const ofSession = all.filter((x: { category: string; grossFen: number }) => x.grossFen === 12_345);
    expect(ofSession).to.have.length(2);
    for (const st of ofSession) {
      expect(st.commissionRateBp).to.equal(500);
      expect(st.commissionFen).to.equal(617); // 617.25
      expect(st.netFen).to.equal(12_345 - 617);
      expect(st.dueFen).to.equal(12_345);
    }
    // a repeat settles nothing twice
    ok(await api.call("POST", `/api/v1/services/sessions/${s}/complete`, key.provider!));
    const again = ok(await api.call("GET", "/api/v1/services/settlements", key.provider!)).settlements;
    expect(again.length).to.equal(all.length);
    expect((await enrol(s, "郑师傅")).json.code).to.equal("SERVICE.SESSION_CLOSED");
  });

  it("rents a lift by time: deposit held, 95 minutes charged, a damage claim, settlement with commission", async () => {
    const lift = await equipment();
    const started = ok(await rent(lift.id, {}, { "idempotency-key": "rent-lift-00001" }), 201);
    expect(started.status).to.equal("active");
    expect(started.depositFen).to.equal(50_000);
    // a retry answers the same rental; the busy lift refuses another
    expect(ok(await rent(lift.id, {}, { "idempotency-key": "rent-lift-00001" }), 201).id).to.equal(started.id);
    expect((await rent(lift.id)).json.code).to.equal("SERVICE.EQUIPMENT_BUSY");
    await db().query("UPDATE service_rentals SET started_at = now() - interval '94 minutes 30 seconds' WHERE id = $1", [
      started.id,
    ]);
    const stopped = ok(await api.call("POST", `/api/v1/services/rentals/${started.id}/stop`, key.shop!, {}));
    expect(stopped.status).to.equal("returned");
    expect(stopped.usage).to.equal(95);
    expect(stopped.chargeFen).to.equal(9_500);
    expect(stopped.claimableFen).to.equal(40_500);
    // the shop cannot claim or settle (permission); too large a claim is refused by amount
    expect((await api.call("POST", `/api/v1/services/rentals/${started.id}/settle`, key.shop!, {})).status).to.equal(
      403,
    );
    const tooMuch = await api.call("POST", `/api/v1/services/rentals/${started.id}/claims`, key.provider!, {
      amountFen: 40_501,
      reason: "液压管破损",
    });
    expect(tooMuch.status).to.equal(409);
    expect(tooMuch.json.code).to.equal("SERVICE.CLAIM_EXCEEDS_DEPOSIT");
    ok(
      await api.call("POST", `/api/v1/services/rentals/${started.id}/claims`, key.provider!, {
        amountFen: 12_000,
        reason: "液压管破损",
      }),
      201,
    );
    const settled = ok(await api.call("POST", `/api/v1/services/rentals/${started.id}/settle`, key.provider!, {}));
    expect(settled.status).to.equal("settled");
    const st = settled.settlement;
    expect(st).to.include({ grossFen: 9_500, commissionRateBp: 500, commissionFen: 475, netFen: 9_025 });
    expect(st).to.include({ depositFen: 50_000, claimsFen: 12_000, refundFen: 28_500, dueFen: 0 });
    expect(st.depositFen + st.dueFen).to.equal(st.grossFen + st.claimsFen + st.refundFen);
    // the lift is free again; settling twice changes nothing
    expect(
      ok(await api.call("POST", `/api/v1/services/rentals/${started.id}/settle`, key.provider!, {})).settlement.id,
    ).to.equal(st.id);
    const again = ok(await rent(lift.id), 201);
    expect(again.id).to.not.equal(started.id);
  });

  it("of two shops racing to rent the same lift one gets it, the other is told it is busy", async () => {
    const lift = await equipment();
    const [a, b] = await Promise.all([
      rent(lift.id),
      api.call("POST", `/api/v1/services/equipment/${lift.id}/rentals`, key.farShop!, {}),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([201, 409]);
    expect((a.status === 409 ? a : b).json.code).to.equal("SERVICE.EQUIPMENT_BUSY");
    const live = await db().query("SELECT 1 FROM service_rentals WHERE equipment_id = $1", [lift.id]);
    expect(live.rows).to.have.length(1);
  });

  it("rents by meter: readings at start and stop; the platform's new rate applies from then on", async () => {
    const tool = await equipment({
      name: "博世 KTS 诊断仪",
      kind: "diagnostic_tool",
      billing: "meter",
      rateFen: 1_250,
      depositFen: 20_000,
    });
    expect((await rent(tool.id)).json.code).to.equal("SERVICE.METER_REQUIRED");
    const r = ok(await rent(tool.id, { meterStart: 1_000 }), 201);
    const back = await api.call("POST", `/api/v1/services/rentals/${r.id}/stop`, key.shop!, { meterEnd: 999 });
    expect(back.json.code).to.equal("SERVICE.METER_BACKWARDS");
    const stopped = ok(await api.call("POST", `/api/v1/services/rentals/${r.id}/stop`, key.shop!, { meterEnd: 1_020 }));
    expect(stopped).to.include({ usage: 20, chargeFen: 25_000 });
    // the provider may not set the commission; the platform may
    expect(
      (await api.call("PUT", "/api/v1/services/commission-rates/equipment_rental", key.provider!, { rateBp: 0 }))
        .status,
    ).to.equal(403);
    ok(await api.call("PUT", "/api/v1/services/commission-rates/equipment_rental", OPERATOR, { rateBp: 800 }));
    const settled = ok(await api.call("POST", `/api/v1/services/rentals/${r.id}/settle`, key.provider!, {}));
    // the charge is beyond the deposit: nothing refunded, 5 000 due, no claim possible
    expect(settled.settlement).to.include({ commissionRateBp: 800, commissionFen: 2_000, refundFen: 0, dueFen: 5_000 });
    ok(await api.call("PUT", "/api/v1/services/commission-rates/equipment_rental", OPERATOR, { rateBp: 500 }));
    const platform = ok(await api.call("GET", "/api/v1/services/settlements", OPERATOR));
    expect(platform.totals.commissionFen).to.equal(
      platform.settlements.reduce((s: number, x: { commissionFen: number }) => s + x.commissionFen, 0),
    );
    expect(platform.totals.netFen + platform.totals.commissionFen).to.equal(platform.totals.grossFen);
  });

  it("walks every state table pair by pair: allowed changes pass, others answer 409 (repeats are no-ops)", async () => {
    // sessions: complete and cancel from each state
    for (const from of SESSION_STATUSES)
      for (const to of ["completed", "cancelled"] as const) {
        const c = await course();
        const s = await session(c.id, 2);
        if (from !== "scheduled")
          ok(
            await api.call(
              "POST",
              `/api/v1/services/sessions/${s}/${from === "completed" ? "complete" : "cancel"}`,
              key.provider!,
            ),
          );
        const r = await api.call(
          "POST",
          `/api/v1/services/sessions/${s}/${to === "completed" ? "complete" : "cancel"}`,
          key.provider!,
        );
        const allowed = (SESSION_TRANSITIONS[from][to] ?? []).includes("provider") || from === to;
        expect(r.status, `session ${from} → ${to}: ${JSON.stringify(r.json)}`).to.equal(allowed ? 200 : 409);
        if (!allowed) expect(r.json.code).to.equal("SERVICE.INVALID_TRANSITION");
      }
    // enrolments: cancel from each state, by the shop and by the provider
    for (const from of ENROLMENT_STATUSES)
      for (const side of ["shop", "provider"] as const) {
        const c = await course();
        const s = await session(c.id, 2);
        const e = ok(await enrol(s, "冯师傅"), 201);
        if (from === "cancelled") ok(await api.call("POST", `/api/v1/services/enrolments/${e.id}/cancel`, key.shop!));
        if (from === "attended") ok(await api.call("POST", `/api/v1/services/sessions/${s}/complete`, key.provider!));
        const r = await api.call("POST", `/api/v1/services/enrolments/${e.id}/cancel`, key[side]!);
        const allowed = (ENROLMENT_TRANSITIONS[from].cancelled ?? []).includes(side) || from === "cancelled";
        expect(r.status, `enrolment ${from} → cancelled by ${side}`).to.equal(allowed ? 200 : 409);
        expect(await seatsTaken(s)).to.equal(from === "attended" ? 1 : 0);
      }
    // rentals: stop (→ returned) and settle (→ settled) from each state
    for (const from of RENTAL_STATUSES)
      for (const to of ["returned", "settled"] as const) {
        const q = await equipment({ depositFen: 0 });
        const r = ok(await rent(q.id), 201);
        if (from !== "active") ok(await api.call("POST", `/api/v1/services/rentals/${r.id}/stop`, key.shop!, {}));
        if (from === "settled")
          ok(await api.call("POST", `/api/v1/services/rentals/${r.id}/settle`, key.provider!, {}));
        const path = to === "returned" ? "stop" : "settle";
        const res = await api.call(
          "POST",
          `/api/v1/services/rentals/${r.id}/${path}`,
          to === "returned" ? key.shop! : key.provider!,
          {},
        );
        const side = to === "returned" ? "shop" : "provider";
        const repeat = from === to || (to === "returned" && from === "settled");
        const allowed = (RENTAL_TRANSITIONS[from][to] ?? []).includes(side) || repeat;
        expect(res.status, `rental ${from} → ${to}: ${JSON.stringify(res.json)}`).to.equal(allowed ? 200 : 409);
        const settled = await db().query("SELECT 1 FROM service_settlements WHERE subject_id = $1", [r.id]);
        expect(settled.rows.length).to.equal(from === "settled" || (from === "returned" && to === "settled") ? 1 : 0);
      }
  });

  it("answers another provider's or shop's records 404 and writes nothing", async () => {
    const q = await equipment();
    const r = ok(await rent(q.id), 201);
    expect((await api.call("GET", `/api/v1/services/rentals/${r.id}`, key.farShop!)).status).to.equal(404);
    expect((await api.call("POST", `/api/v1/services/rentals/${r.id}/stop`, key.farShop!, {})).status).to.equal(404);
    expect(ok(await api.call("GET", `/api/v1/services/rentals/${r.id}`, key.shop!)).status).to.equal("active");
    const other = await api.call("POST", "/api/v1/services/courses/crs_0123456789abcdef/sessions", key.provider!, {
      startsAt: inAnHour(1),
      endsAt: inAnHour(2),
      place: "某地",
      seats: 1,
    });
    expect(other.status).to.equal(404);
  });
});
