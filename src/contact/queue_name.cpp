#include "contact/queue_name.h"

#include <sstream>

namespace unicc::contact {

std::string skilled_queue_name(const std::string& queue, const std::map<std::string, int>& skills) {
  std::string name = queue;
  for (const auto& [skill, level] : skills) name += "+" + skill + ":" + std::to_string(level);
  return name;
}

std::pair<std::string, std::vector<std::string>> split_skilled_queue_name(const std::string& name) {
  std::pair<std::string, std::vector<std::string>> out;
  std::stringstream parts(name);
  std::getline(parts, out.first, '+');
  for (std::string skill; std::getline(parts, skill, '+');) out.second.push_back(skill);
  return out;
}

}  // namespace unicc::contact
