#include "core/metrics.h"

#include <gtest/gtest.h>

namespace unicc::core {
namespace {

TEST(Metrics, RendersCountersGaugesAndFunctions) {
  Metrics metrics;
  metrics.counter("x_total", "Things", "code=\"2xx\"").inc(3);
  metrics.counter("x_total", "Things", "code=\"4xx\"").inc();
  metrics.gauge("depth", "Depth").set(-2);
  metrics.gauge_fn("ratio", "Ratio", [] { return 0.5; });
  std::string text = metrics.render();
  EXPECT_NE(text.find("# TYPE x_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("x_total{code=\"2xx\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("x_total{code=\"4xx\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("depth -2\n"), std::string::npos);
  EXPECT_NE(text.find("ratio 0.5\n"), std::string::npos);
}

TEST(Metrics, ValuesAreTheRenderedSeries) {
  Metrics metrics;
  metrics.counter("x_total", "Things", "code=\"2xx\"").inc(3);
  metrics.gauge("depth", "Depth").set(-2);
  metrics.gauge_fn("ratio", "Ratio", [] { return 0.5; });
  EXPECT_EQ(metrics.values(), (std::map<std::string, double>{{"depth", -2}, {"ratio", 0.5}, {"x_total{code=\"2xx\"}", 3}}));
  EXPECT_EQ(metrics.render(),
            "# HELP depth Depth\n# TYPE depth gauge\ndepth -2\n"
            "# HELP ratio Ratio\n# TYPE ratio gauge\nratio 0.5\n"
            "# HELP x_total Things\n# TYPE x_total counter\nx_total{code=\"2xx\"} 3\n");
}

TEST(Metrics, SameNameAndLabelsIsTheSameCounter) {
  Metrics metrics;
  metrics.counter("a_total", "A").inc();
  metrics.counter("a_total", "A").inc();
  EXPECT_EQ(metrics.counter("a_total", "A").value(), 2u);
}

TEST(Metrics, ConflictingTypesAreRefused) {
  Metrics metrics;
  metrics.counter("m", "M");
  EXPECT_THROW(metrics.gauge("m", "M"), std::logic_error);
}

}  // namespace
}  // namespace unicc::core
