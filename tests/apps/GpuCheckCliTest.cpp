// bolo gpu-check end to end: every verdict produced from controllable inputs (fake device
// nodes, a fake NVML library, the environment), plus the real path on this machine.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Subprocess.hpp"
#include "support/TempDir.hpp"

namespace {

class GpuCheckCli : public testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir / "dev");
    std::ofstream(m_dir / "version") << "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06 "
                                        " Sun Jul 27 06:55:38 UTC 2025\n";
  }

  /// Character devices with NVIDIA's major number 195, as the driver creates them.
  bool makeFakeDeviceNodes() {
    for (auto [name, minor] : {std::pair{"nvidia0", 0}, {"nvidiactl", 255}}) {
      const auto path = (m_dir / "dev" / name).string();
      if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(195, minor)) != 0) return false;
    }
    return true;
  }

  bolo::ProcessResult check(std::map<std::string, std::string> env,
                            std::vector<std::string> args = {}) {
    env.emplace("BOLO_GPU_DEV_ROOT", (m_dir / "dev").string());
    env.emplace("BOLO_GPU_PROC_VERSION", (m_dir / "version").string());
    env.emplace("BOLO_NVML_LIBRARY", BOLO_FAKE_NVML);
    std::vector<std::string> argv{BOLO_EXECUTABLE, "gpu-check", "--json", "--site", "TEST-SITE"};
    argv.insert(argv.end(), args.begin(), args.end());
    return bolo::runProcess(argv, {}, {}, env);
  }

  bolo::test::TempDir m_dir;
};

nlohmann::json reportOf(const bolo::ProcessResult& r) {
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_F(GpuCheckCli, NoDevicesNoDriverIsNoGpu) {
  const auto r = check({{"BOLO_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1"},
                        {"BOLO_GPU_PROC_VERSION", "/nonexistent"}});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(reportOf(r)["verdict"], "no-gpu");
  EXPECT_EQ(reportOf(r)["site"], "TEST-SITE");
  const auto required = check({{"BOLO_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1"},
                               {"BOLO_GPU_PROC_VERSION", "/nonexistent"}},
                              {"--require-gpu"});
  EXPECT_EQ(required.exitCode, 10);
  EXPECT_EQ(required.err.rfind("bolo: error: gpu-check no-gpu:", 0), 0u) << required.err;
}

TEST_F(GpuCheckCli, RealPathOnThisMachine) {
  // This machine kind has no GPU; where the check runs on a GPU node it must not say no-gpu.
  const auto r = bolo::runProcess({BOLO_EXECUTABLE, "gpu-check", "--json", "--no-compute"});
  const auto verdict = reportOf(r)["verdict"].get<std::string>();
  if (std::filesystem::exists("/dev/nvidia0")) {
    EXPECT_NE(verdict, "no-gpu");
  } else {
    EXPECT_EQ(verdict, "no-gpu");
    EXPECT_EQ(r.exitCode, 0);
  }
}

TEST_F(GpuCheckCli, DriverLibrariesNotBoundIntoContainer) {
  if (!makeFakeDeviceNodes()) GTEST_SKIP() << "mknod needs root";
  const auto r = check({{"BOLO_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1"}});
  EXPECT_EQ(r.exitCode, 11) << r.err;
  const auto report = reportOf(r);
  EXPECT_EQ(report["verdict"], "not-usable");
  EXPECT_EQ(report["driver"], "580.65.06");
  EXPECT_NE(report["fix"].get<std::string>().find("--nv"), std::string::npos);
}

TEST_F(GpuCheckCli, DriverNotLoadedInNvml) {
  if (!makeFakeDeviceNodes()) GTEST_SKIP() << "mknod needs root";
  const auto r = check({{"FAKE_NVML_INIT_ERROR", "9"}});
  EXPECT_EQ(r.exitCode, 11);
  EXPECT_NE(reportOf(r)["reason"].get<std::string>().find("Driver Not Loaded"), std::string::npos);
}

TEST_F(GpuCheckCli, DriverTooOldForTheRuntime) {
  if (!makeFakeDeviceNodes()) GTEST_SKIP() << "mknod needs root";
  const auto r = check({{"FAKE_NVML_CUDA", "11040"}, {"BOLO_CUDA_RUNTIME_VERSION", "12.4"}});
  EXPECT_EQ(r.exitCode, 12) << r.err;
  const auto report = reportOf(r);
  EXPECT_EQ(report["verdict"], "driver-too-old");
  EXPECT_EQ(report["cuda_driver"], "11.4");
  EXPECT_EQ(report["cuda_runtime"], "12.4");
}

TEST_F(GpuCheckCli, InventoryOfAVisibleGpu) {
  if (!makeFakeDeviceNodes()) GTEST_SKIP() << "mknod needs root";
  const auto r = check({{"FAKE_NVML_GPUS", "2"}, {"FAKE_NVML_MODEL", "NVIDIA A100-SXM4-40GB"}});
  const auto report = reportOf(r);
  EXPECT_EQ(report["count"], 2);
  EXPECT_EQ(report["model"], "NVIDIA A100-SXM4-40GB");
  EXPECT_NEAR(report["memory_gib"].get<double>(), 80.0, 1e-9);
  EXPECT_EQ(report["inventory"]["device_nodes"].size(), 1u);
  if (!report["framework"]["cuda"].get<bool>()) {
    // The CPU build must never pretend the GPU is usable: it would silently run on the CPU.
    EXPECT_EQ(report["verdict"], "not-usable");
    EXPECT_EQ(r.exitCode, 11);
  }
}

TEST_F(GpuCheckCli, ReportFileIsWritten) {
  const auto out = (m_dir / "report.json").string();
  const auto r =
      check({{"BOLO_NVML_LIBRARY", "/nonexistent"}, {"BOLO_GPU_PROC_VERSION", "/nonexistent"}},
            {"--out", out});
  EXPECT_EQ(r.exitCode, 0);
  std::ifstream in(out);
  const auto report = nlohmann::json::parse(in);
  for (const char* key : {"site", "host", "vendor", "model", "memory_gib", "driver", "cuda_driver",
                          "cuda_runtime", "framework", "count", "verdict", "measurements"}) {
    EXPECT_TRUE(report.contains(key)) << key;
  }
}
