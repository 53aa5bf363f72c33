#pragma once
// The name of the part of a queue whose contacts also need skills (name to level):
// "sales+mandarin:5+..." ('+' is in no queue or skill name); and such a name split
// back into the queue and the skill texts (none for a plain queue name). Callback
// requests keep the queue by this name, so a restart finds the skilled part again.
// Pure functions.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace unicc::contact {

std::string skilled_queue_name(const std::string& queue, const std::map<std::string, int>& skills);
std::pair<std::string, std::vector<std::string>> split_skilled_queue_name(const std::string& name);

}  // namespace unicc::contact
