import { Button, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorConstructor | null {
  const candidate = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  const media = (navigator as { mediaDevices?: Partial<MediaDevices> }).mediaDevices;
  return typeof candidate === 'function' && typeof media?.getUserMedia === 'function' ? candidate : null;
}

/** Whether this browser can read a QR code from the camera (typing works everywhere). */
export function canScan(): boolean {
  return detectorClass() !== null;
}

/** The camera, read a few times a second until a QR code shows; stops the camera when done. */
export function QrScanner({ onCode, onClose }: { onCode(value: string): void; onClose(): void }) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const found = useRef(onCode);
  found.current = onCode;

  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    const scan = async () => {
      if (stopped || !videoRef.current) return;
      try {
        const codes = await detector.detect(videoRef.current);
        const value = codes[0]?.rawValue;
        if (value) {
          found.current(value);
          return;
        }
      } catch {
        // The frame was not ready; try the next one.
      }
      timer = setTimeout(scan, 300);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media;
        if (stopped || !videoRef.current) return;
        videoRef.current.srcObject = media;
        await videoRef.current.play();
        void scan();
      })
      .catch(() => setFailed(true));
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return (
    <Stack gap="xs">
      {failed ? (
        <Text role="alert">{t('checkIn.cameraFailed')}</Text>
      ) : (
        <video ref={videoRef} className="scanner-video" muted playsInline aria-label={t('checkIn.camera')} />
      )}
      <Button variant="default" onClick={onClose}>
        {t('checkIn.stopScanning')}
      </Button>
    </Stack>
  );
}

/** The seat code inside what a QR code holds (a bare code, or an address that ends with one). */
export function codeFromScan(value: string): string {
  const match = /S-?[0-9A-Z]{6}/i.exec(value);
  return match ? match[0] : value.trim();
}
