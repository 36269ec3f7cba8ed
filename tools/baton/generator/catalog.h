// Realistic marketing data the generator draws from: sources, campaigns,
// ads, landing pages, companies and people.
#pragma once

#include <string>
#include <vector>

namespace baton::cli::gen {

struct Campaign {
  std::string name;
  std::string landing_page;
  std::string ad_id;       // empty: no ad
  std::string ad_message;  // empty: no ad
};

struct SourceProfile {
  std::string source;
  std::string medium;
  double weight;  // share of leads
  std::string referrer;
  std::vector<Campaign> campaigns;
};

struct CompanyProfile {
  std::string name;
  std::string domain;
  std::string industry;
  std::string employee_band;
  std::string revenue_band;
  std::string country;
  std::string region;  // emea, north_america, apac
  std::string language;
};

struct TitleProfile {
  std::string title;
  std::string seniority;
};

struct Trigger {
  std::string signal;  // SignalType word, e.g. demo_request
  std::string form_id;
  std::string reason;  // why the person raised a hand
  std::string url_path;
};

const std::vector<SourceProfile>& sources();
const std::vector<CompanyProfile>& companies();
const std::vector<TitleProfile>& titles();
const std::vector<std::string>& first_names();
const std::vector<std::string>& last_names();
const std::vector<Trigger>& triggers();
const std::vector<std::string>& products();
// Pages viewed in engagement sequences.
const std::vector<std::string>& content_pages();

inline constexpr const char* kSiteUrl = "https://www.baton.example";

}  // namespace baton::cli::gen
