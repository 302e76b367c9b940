/**
 * Images only the development service runs, pinned to exact tags like core/constants.ts IMAGES
 * (no digests, for the same reason). Kept here until they move into IMAGES.
 */
export const DEV_IMAGES = {
  /** Adminer's standalone image (PHP's built-in server on 8080). */
  adminer: "adminer:4.8.1",
  /** Mailhog's last release. It is published for linux/amd64 only. */
  mailhog: "mailhog/mailhog:v1.0.1",
} as const

/**
 * Mailhog's image has no arm64 variant, so it is always pulled for amd64. An arm64 engine runs it
 * through the host's emulation (binfmt/QEMU, as Docker Desktop provides).
 */
export const MAILHOG_PLATFORM = "linux/amd64"
