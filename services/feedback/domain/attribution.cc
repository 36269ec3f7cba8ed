#include "attribution.h"

#include <algorithm>
#include <numeric>

namespace baton::feedback {
namespace {

v1::AttributionCredit credit(const std::string& role, const v1::Touch& t,
                             const state::LeadRecord& lead, double weight, int64_t amount) {
  v1::AttributionCredit c;
  c.set_touch(role);
  // A touch without UTM data is credited to the lead's own source/campaign.
  c.set_source(t.source().empty() ? lead.source() : t.source());
  c.set_campaign(t.campaign().empty() ? lead.campaign() : t.campaign());
  c.set_weight(weight);
  c.set_amount_minor(amount);
  return c;
}

bool empty_touch(const v1::Touch& t) {
  return !t.has_time() && t.url().empty() && t.source().empty() && t.campaign().empty() &&
         t.landing_page().empty();
}

}  // namespace

std::vector<int64_t> allocate(int64_t amount, const std::vector<int64_t>& weights) {
  std::vector<int64_t> out(weights.size(), 0);
  const __int128 total = std::accumulate(weights.begin(), weights.end(), __int128{0});
  if (weights.empty() || total <= 0) return out;
  const bool negative = amount < 0;
  const __int128 a = negative ? -static_cast<__int128>(amount) : amount;
  std::vector<__int128> rem(weights.size());
  __int128 assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const __int128 num = a * weights[i];
    out[i] = static_cast<int64_t>(num / total);
    rem[i] = num % total;
    assigned += out[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return rem[x] > rem[y]; });
  for (size_t k = 0; assigned < a; ++k, ++assigned) out[order[k % order.size()]] += 1;
  if (negative)
    for (auto& v : out) v = -v;
  return out;
}

std::vector<state::AttributedTouch> w_shaped_touches(const state::LeadRecord& lead) {
  auto make = [](const char* role, const v1::Touch& t) {
    state::AttributedTouch a;
    a.set_role(role);
    *a.mutable_touch() = t;
    return a;
  };
  const v1::Touch& first = lead.first_touch();
  const v1::Touch& creation = empty_touch(lead.creation_touch()) ? first : lead.creation_touch();
  const v1::Touch& opportunity =
      empty_touch(lead.opportunity_touch()) ? lead.latest_touch() : lead.opportunity_touch();
  std::vector<state::AttributedTouch> out{make("first_touch", first),
                                          make("lead_creation", creation)};
  for (const auto& m : lead.middle_touches()) out.push_back(make("middle", m));
  out.push_back(make("opportunity_creation", empty_touch(opportunity) ? creation : opportunity));
  return out;
}

v1::Attribution attribute(int64_t amount_minor, const state::LeadRecord& lead) {
  v1::Attribution a;
  *a.add_first_touch() = credit("first_touch", lead.first_touch(), lead, 1.0, amount_minor);
  const v1::Touch& last =
      empty_touch(lead.latest_touch()) ? lead.first_touch() : lead.latest_touch();
  *a.add_last_touch() = credit("last_touch", last, lead, 1.0, amount_minor);

  const auto touches = w_shaped_touches(lead);
  const int64_t middle = static_cast<int64_t>(touches.size()) - 3;
  std::vector<int64_t> weights;
  for (const auto& t : touches) {
    if (middle == 0)
      weights.push_back(1);  // 1/3 each
    else
      weights.push_back(t.role() == "middle" ? 10 : 30 * middle);
  }
  const int64_t total = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  const auto amounts = allocate(amount_minor, weights);
  for (size_t i = 0; i < touches.size(); ++i)
    *a.add_w_shaped() =
        credit(touches[i].role(), touches[i].touch(), lead,
               static_cast<double>(weights[i]) / static_cast<double>(total), amounts[i]);
  return a;
}

}  // namespace baton::feedback
