/* A stand-in for libnvidia-ml.so.1 whose answers come from the environment, so that
 * `bolo gpu-check` can be tested on machines without a GPU:
 *   FAKE_NVML_INIT_ERROR  nonzero: nvmlInit_v2 fails with that code
 *   FAKE_NVML_GPUS        number of devices (default 1)
 *   FAKE_NVML_DRIVER      driver version string (default 580.65.06)
 *   FAKE_NVML_CUDA        highest CUDA version the driver supports (default 13000)
 *   FAKE_NVML_MODEL       device name (default NVIDIA H100 80GB HBM3)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  unsigned long long total, free, used;
} FakeMemory;

static int envInt(const char* name, int fallback) {
  const char* v = getenv(name);
  return v && *v ? atoi(v) : fallback;
}

static const char* envText(const char* name, const char* fallback) {
  const char* v = getenv(name);
  return v && *v ? v : fallback;
}

int nvmlInit_v2(void) {
  return envInt("FAKE_NVML_INIT_ERROR", 0);
}
int nvmlShutdown(void) {
  return 0;
}
const char* nvmlErrorString(int code) {
  return code == 9 ? "Driver Not Loaded" : "Unknown Error";
}

int nvmlSystemGetDriverVersion(char* out, unsigned length) {
  snprintf(out, length, "%s", envText("FAKE_NVML_DRIVER", "580.65.06"));
  return 0;
}

int nvmlSystemGetCudaDriverVersion_v2(int* version) {
  *version = envInt("FAKE_NVML_CUDA", 13000);
  return 0;
}

int nvmlDeviceGetCount_v2(unsigned* count) {
  *count = (unsigned)envInt("FAKE_NVML_GPUS", 1);
  return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned index, void** device) {
  *device = (void*)(size_t)(index + 1);
  return 0;
}

int nvmlDeviceGetName(void* device, char* out, unsigned length) {
  (void)device;
  snprintf(out, length, "%s", envText("FAKE_NVML_MODEL", "NVIDIA H100 80GB HBM3"));
  return 0;
}

int nvmlDeviceGetMemoryInfo(void* device, FakeMemory* memory) {
  (void)device;
  memory->total = 80ULL * 1024 * 1024 * 1024;
  memory->free = memory->total;
  memory->used = 0;
  return 0;
}

int nvmlDeviceGetCudaComputeCapability(void* device, int* major, int* minor) {
  (void)device;
  *major = 9;
  *minor = 0;
  return 0;
}
