import { useEffect, useState } from "react";
import { answer, api, type Answer } from "../api/client";

type Sku = Answer<"/api/v1/catalog/skus/{id}", "get">;

/** One request per SKU for the whole session: order lines, stock rows and ship lists name the same few parts. */
const cache = new Map<number, Promise<Sku | null>>();
function load(id: number): Promise<Sku | null> {
  let p = cache.get(id);
  if (!p) {
    p = answer<Sku>(api.GET("/api/v1/catalog/skus/{id}", { params: { path: { id } } })).catch(() => {
      cache.delete(id); // a failed lookup is tried again next time; meanwhile the id is shown
      return null;
    });
    cache.set(id, p);
  }
  return p;
}

/** A SKU as people name it: brand, part number, name (GET /api/v1/catalog/skus/{id}); the bare id until it loads. */
export function SkuLabel({ id }: { id: number }) {
  const [sku, setSku] = useState<Sku | null>(null);
  useEffect(() => {
    let live = true;
    void load(id).then((s) => live && setSku(s));
    return () => {
      live = false;
    };
  }, [id]);
  if (!sku) return <span>SKU {id}</span>;
  return (
    <span title={`SKU ${id}`}>
      {sku.brandName} {sku.partNo} {sku.name}
    </span>
  );
}
