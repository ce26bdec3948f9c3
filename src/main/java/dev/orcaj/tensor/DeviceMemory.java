package dev.orcaj.tensor;

/**
 * The accelerator side of a device-resident {@link Storage}: {@code n} F32 elements in device memory. The storage
 * calls {@link #download} when host code reads data the device has changed, {@link #upload} when the device needs
 * data host code has changed; each call is one host-device transfer.
 */
public interface DeviceMemory {
    Device device();

    /** Copies the device data into {@code dst[0, n)}. */
    void download(float[] dst);

    /** Overwrites the device data with {@code src[0, n)}. */
    void upload(float[] src);
}
