/**
 * An input for scanners: USB and Bluetooth scanners type the code and press Enter (→ onScan, then the field clears
 * and keeps focus for the next code); the camera button reads QR codes from the phone's camera (getUserMedia frames
 * decoded with jsQR, loaded only when the camera opens).
 */
import { CameraOutlined } from "@ant-design/icons";
import { Alert, Button, Input, Modal, Space, type InputRef } from "antd";
import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n";

export interface ScanInputProps {
  onScan(code: string): void;
  placeholder?: string;
  /** Accessible name of the field (defaults to the placeholder). */
  label?: string;
  autoFocus?: boolean;
  disabled?: boolean;
  /** Hide the camera button (e.g. on a desktop with a scanner). */
  noCamera?: boolean;
}

export function ScanInput({ onScan, placeholder, label, autoFocus = true, disabled, noCamera }: ScanInputProps) {
  const t = useT();
  const [value, setValue] = useState("");
  const [camera, setCamera] = useState(false);
  const input = useRef<InputRef>(null);
  const submit = (code: string) => {
    const c = code.trim();
    if (!c) return;
    onScan(c);
    setValue("");
    input.current?.focus();
  };
  const text = placeholder ?? t("scan.placeholder");
  return (
    <Space.Compact style={{ width: "100%" }}>
      <Input
        ref={input}
        value={value}
        autoFocus={autoFocus}
        disabled={disabled}
        placeholder={text}
        aria-label={label ?? text}
        autoComplete="off"
        inputMode="text"
        onChange={(e) => setValue(e.target.value)}
        onPressEnter={(e) => {
          // A scanner's Enter ends one code; it must never submit the form the field sits in.
          e.preventDefault();
          submit(value);
        }}
      />
      {!noCamera && (
        <Button
          icon={<CameraOutlined />}
          aria-label={t("scan.camera")}
          disabled={disabled}
          onClick={() => setCamera(true)}
        />
      )}
      {camera && (
        <CameraScanner
          onCode={(c) => {
            setCamera(false);
            submit(c);
          }}
          onClose={() => setCamera(false)}
        />
      )}
    </Space.Compact>
  );
}

function CameraScanner({ onCode, onClose }: { onCode(code: string): void; onClose(): void }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string>();
  const done = useRef(onCode);
  done.current = onCode;
  useEffect(() => {
    let stream: MediaStream | undefined;
    let frame = 0;
    let stopped = false;
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    (async () => {
      const [{ default: jsQR }, media] = await Promise.all([
        import("jsqr"),
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }),
      ]);
      stream = media;
      if (stopped || !video.current || !ctx) return;
      video.current.srcObject = media;
      await video.current.play();
      const tick = () => {
        if (stopped) return;
        const v = video.current;
        if (v && v.videoWidth > 0) {
          canvas.width = v.videoWidth;
          canvas.height = v.videoHeight;
          ctx.drawImage(v, 0, 0);
          const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
          const code = jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
          if (code?.data) {
            stopped = true;
            done.current(code.data);
            return;
          }
        }
        frame = requestAnimationFrame(tick);
      };
      frame = requestAnimationFrame(tick);
    })().catch((e: Error) => setError(t("scan.camera.denied", { reason: e.message })));
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [t]);
  return (
    <Modal open title={t("scan.camera.title")} onCancel={onClose} footer={null} destroyOnHidden>
      {error ? (
        <Alert type="error" showIcon title={error} />
      ) : (
        <video
          ref={video}
          muted
          playsInline
          style={{ width: "100%", borderRadius: 8 }}
          aria-label={t("scan.camera.title")}
        />
      )}
    </Modal>
  );
}
