#include "app/check_flow.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "ivr/check.h"

namespace unicc::app {

int check_flow_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::cerr << path << ": cannot open the file\n";
    return 1;
  }
  std::ostringstream text;
  text << file.rdbuf();
  auto check = ivr::check_flow(text.str());
  for (const auto& problem : check.problems) {
    std::cerr << path << ":" << problem.line << ": ";
    if (!problem.node.empty()) std::cerr << "node " << problem.node << ": ";
    if (!problem.field.empty()) std::cerr << problem.field << ": ";
    std::cerr << problem.message << "\n";
  }
  if (!check.ok()) return 1;
  std::cout << path << ": OK\n";
  return 0;
}

}  // namespace unicc::app
