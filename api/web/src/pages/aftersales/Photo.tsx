/** A return's photo, pulled with the session's token (an <img src> would not carry it) and shown from a blob URL. */
import { Image, Skeleton } from "antd";
import { useEffect, useState } from "react";
import { ApiError, session } from "../../api/client";
import { useT } from "../../i18n";

export function Photo({ returnId, photoId, size = 96 }: { returnId: string; photoId: string; size?: number }) {
  const t = useT();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let live = true;
    const token = session.token();
    void fetch(`/api/v1/returns/${returnId}/photos/${photoId}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
      .then((r) => (r.ok ? r.blob() : null))
      .then((b) => {
        if (!b || !live) return;
        url = URL.createObjectURL(b);
        setSrc(url);
      });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [returnId, photoId]);
  if (!src) return <Skeleton.Image active style={{ width: size, height: size }} />;
  return <Image src={src} width={size} height={size} style={{ objectFit: "cover" }} alt={t("as.photoAlt")} />;
}

/** Uploads picked files as a return's photos, one after another; answers how many were taken. */
export async function uploadPhotos(returnId: string, files: File[]): Promise<number> {
  let n = 0;
  const token = session.token();
  for (const f of files) {
    const r = await fetch(`/api/v1/returns/${returnId}/photos`, {
      method: "POST",
      headers: {
        "content-type": f.type || "application/octet-stream",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: f,
    });
    if (!r.ok) {
      const body = (await r.json().catch(() => ({}))) as Record<string, unknown>;
      const { code, detail, requestId, ...rest } = body as { code?: string; detail?: string; requestId?: string };
      throw new ApiError(r.status, code ?? `HTTP.${r.status}`, detail ?? r.statusText, requestId, rest);
    }
    n++;
  }
  return n;
}
