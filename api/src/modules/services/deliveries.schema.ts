import { z } from "zod";
import { settlementSchema } from "./services.schema.js";
import { DELIVERY_STATUSES } from "./service-states.js";

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-f]{16}$`), `an id ${prefix}_…`);
const price = (what: string) => z.number().int(`${what}: whole fen`).min(0, `${what}: not negative`).max(1e9);

export const tariffParams = z.object({ id: id("trf") }).strict();
export const deliveryParams = z.object({ id: id("dlv") }).strict();

/** A GB/T 2260 code of a province (xx0000), a city (xxxx00) or a district. */
const areaCode = z.string().regex(/^[1-9]\d{5}$/, "a 6-digit GB/T 2260 code: province xx0000, city xxxx00 or district");

export const createTariffBody = z
  .object({
    name: z.string().trim().min(2).max(200).describe("e.g. 杭州同城配送"),
    baseFen: price("baseFen").describe("per delivery"),
    perKmFen: price("perKmFen").describe("per km from the warehouse to the ship-to point"),
    perKgFen: price("perKgFen").describe("per kg declared"),
    areaCodes: z.array(areaCode).min(1).max(100).describe("the service area: both ends must lie in it"),
  })
  .strict()
  .refine((t) => t.baseFen + t.perKmFen + t.perKgFen > 0, { message: "a tariff charges something", path: ["baseFen"] });
export type CreateTariff = z.infer<typeof createTariffBody>;

export const bookDeliveryBody = z
  .object({
    orderId: z.string().regex(/^ord_[0-9a-f]{16}$/, "an order id ord_…"),
    locationId: z.string().min(1).max(100).describe("the warehouse whose part of the order ships (its allocation)"),
    weightG: z.number().int("weightG: whole grams").min(1).max(50_000_000).describe("declared weight in grams"),
  })
  .strict();
export type BookDelivery = z.infer<typeof bookDeliveryBody>;

export const moveDeliveryBody = z.object({ to: z.enum(DELIVERY_STATUSES) }).strict();

export const tariffSchema = z
  .object({
    id: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    name: z.string(),
    baseFen: z.number().int(),
    perKmFen: z.number().int(),
    perKgFen: z.number().int(),
    areaCodes: z.array(z.string()),
    createdAt: z.string(),
  })
  .strict();

export const deliverySchema = z
  .object({
    id: z.string(),
    tariffId: z.string(),
    tariffName: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    customerId: z.string().describe("who booked and pays: the order's buyer or the shipping seller"),
    customerName: z.string(),
    orderId: z.string(),
    locationId: z.string(),
    pickupName: z.string(),
    pickupRegion: z.string(),
    dropName: z.string(),
    dropRegion: z.string(),
    dropLng: z.number(),
    dropLat: z.number(),
    distanceM: z.number().int(),
    weightG: z.number().int(),
    baseFen: z.number().int(),
    perKmFen: z.number().int(),
    perKgFen: z.number().int(),
    chargeFen: z.number().int().describe("base + round-half-up((m × per km + g × per kg) / 1000)"),
    status: z.enum(DELIVERY_STATUSES),
    next: z.array(z.enum(DELIVERY_STATUSES)),
    createdAt: z.string(),
    updatedAt: z.string(),
    settlement: settlementSchema.nullable(),
  })
  .strict();

export const shipmentSchema = z
  .object({
    orderId: z.string(),
    orderStatus: z.string(),
    buyerId: z.string(),
    buyerName: z.string(),
    buyerRegion: z.string().describe("the buyer's region, where the delivery drops: a tariff's area must hold it"),
    locationId: z.string().describe("the warehouse this part ships from: book with it"),
    locationName: z.string(),
    regionCode: z
      .string()
      .describe("the warehouse's region, where the delivery picks up: a tariff's area must hold it"),
    sellerId: z.string(),
    sellerName: z.string().describe("the company whose warehouse ships this part"),
    units: z.number().int(),
    distanceM: z.number().int().describe("warehouse to ship-to point, as allocated"),
    side: z.enum(["buyer", "seller"]).describe("whether I am the order's buyer or this part's seller"),
    createdAt: z.string(),
  })
  .strict()
  .meta({ id: "DeliverableShipment" });
