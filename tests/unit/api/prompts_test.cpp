// /api/v1/prompts over real folders (ApiHarness): an admin uploads a WAV at 44.1 kHz
// stereo and an MP3, each stored as the 8 kHz mono WAV calls play, listed before
// the shipped sounds, played back, replaced (calls told to read it again) and
// deleted, audited; bad audio, bad names and other roles are refused; text is read by
// the real TTS for the designer's preview.
#include "api/prompts.h"

#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include <gtest/gtest.h>

#include "media/prompt.h"
#include "support/api_harness.h"

namespace unicc::api {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A second of a 440 Hz tone at `rate` Hz, `channels` channels, in libsndfile's `format`.
std::string tone_file(const std::string& dir, int format, int rate, int channels) {
  const std::string path = dir + "/tone-" + std::to_string(format) + "-" + std::to_string(rate);
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  EXPECT_NE(file, nullptr) << sf_strerror(nullptr);
  std::vector<float> frames(static_cast<std::size_t>(rate * channels));
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const double t = static_cast<double>(i / static_cast<std::size_t>(channels)) / rate;
    frames[i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * 440 * t));
  }
  sf_writef_float(file, frames.data(), rate);
  sf_close(file);
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class PromptsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(sounds);
    media::save_prompt(media::Prompt(std::vector<std::int16_t>(8000, 1000)), sounds + "/goodbye.wav");
    add_prompt_routes(api.router, api.context, library,
                      {[this](const std::string& file) { changed.push_back(file); }, tts});
    api.users.create("sue", "Sue", auth::Role::supervisor, "", "sue-password");
    api.users.create("quinn", "Quinn", auth::Role::qa, "", "quinn-password");
    admin = api.admin_token();
  }

  http::Response upload(const std::string& name, const std::string& bytes, const std::string& token) {
    return api.call("PUT", "/api/v1/prompts/" + name, bytes, token);
  }

  json listed() {
    auto response = api.call("GET", "/api/v1/prompts", "", admin);
    EXPECT_EQ(response.status, 200);
    return json::parse(response.body)["items"];
  }

  unicc::testing::ApiHarness api;
  std::string dir = unicc::testing::make_temp_dir();
  std::string sounds = dir + "/sounds";
  std::string uploads = dir + "/prompts";
  ivr::PromptLibrary library{uploads, sounds};
  media::TtsCache tts{media::TtsSettings{dir + "/tts", "espeak-ng"}};
  std::vector<std::string> changed;
  std::string admin;
};

TEST_F(PromptsApi, AWavAndAnMp3AreStoredAsTheEightKilohertzMonoWavCallsPlay) {
  auto wav = upload("welcome", tone_file(dir, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 44100, 2), admin);
  ASSERT_EQ(wav.status, 201) << wav.body;
  auto mp3 = upload("hold-music", tone_file(dir, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 22050, 1), admin);
  ASSERT_EQ(mp3.status, 201) << mp3.body;
  const json stored = json::parse(mp3.body);
  EXPECT_EQ((std::tuple{stored["name"], stored["file"], stored["source"]}),
            (std::tuple{json("hold-music"), json("hold-music.wav"), json("uploaded")}));
  // An MP3 encoder pads the start and end a little.
  EXPECT_NEAR(stored["duration_ms"].get<double>(), 1000, 100);

  for (const std::string name : {"welcome", "hold-music"}) {
    SF_INFO info{};
    SNDFILE* file = sf_open((uploads + "/" + name + ".wav").c_str(), SFM_READ, &info);
    ASSERT_NE(file, nullptr) << name;
    sf_close(file);
    EXPECT_EQ((std::tuple{info.samplerate, info.channels, info.format}),
              (std::tuple{8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16}))
        << name;
    // The tone survived the conversion: loud, not silence.
    const auto samples = media::load_prompt(uploads + "/" + name + ".wav").samples();
    EXPECT_GT(*std::max_element(samples.begin(), samples.end()), 10000) << name;
  }
  EXPECT_EQ(changed, (std::vector<std::string>{"welcome.wav", "hold-music.wav"}));

  // Uploads first, then the shipped sounds.
  json names = json::array();
  for (const auto& item : listed()) names.push_back({item["name"], item["source"]});
  EXPECT_EQ(names, json::parse(R"([["hold-music","uploaded"],["welcome","uploaded"],["goodbye","shipped"]])"));

  auto audio = api.call("GET", "/api/v1/prompts/welcome/audio", "", admin);
  EXPECT_EQ(audio.status, 200);
  EXPECT_EQ(audio.content_type, "audio/wav");
  EXPECT_EQ(audio.body.substr(0, 4), "RIFF");

  api.writer.flush();
  const auto audit = api.audit.list(10, 0, "prompt.upload", "prompt:welcome");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "root");
}

TEST_F(PromptsApi, AnUploadReplacesAShippedSoundAndItsDeletionBringsItBack) {
  ASSERT_EQ(upload("goodbye", tone_file(dir, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1), admin).status, 201);
  ASSERT_EQ(listed().size(), 1u);
  EXPECT_EQ(listed()[0]["source"], "uploaded");
  EXPECT_EQ(upload("goodbye", tone_file(dir, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1), admin).status, 200);

  EXPECT_EQ(api.call("DELETE", "/api/v1/prompts/goodbye", "", admin).status, 204);
  EXPECT_EQ(listed()[0]["source"], "shipped");
  EXPECT_EQ(changed, (std::vector<std::string>{"goodbye.wav", "goodbye.wav", "goodbye.wav"}));
  auto shipped = api.call("DELETE", "/api/v1/prompts/goodbye", "", admin);
  EXPECT_EQ(shipped.status, 409);
  EXPECT_NE(shipped.body.find("\"shipped\""), std::string::npos);
  EXPECT_EQ(api.call("DELETE", "/api/v1/prompts/nothing", "", admin).status, 404);
}

TEST_F(PromptsApi, WhatIsNotAudioIsRefusedWithTheReasonAndNothingIsKept) {
  auto text = upload("welcome", "this is not a sound file at all", admin);
  EXPECT_EQ(text.status, 422);
  EXPECT_NE(text.body.find("not audio unicc can read"), std::string::npos) << text.body;
  // The scratch file's name is not shown to the uploader.
  EXPECT_EQ(text.body.find(".upload-"), std::string::npos) << text.body;
  EXPECT_EQ(upload("welcome", "", admin).status, 400);
  EXPECT_EQ(upload("bad%20name", "x", admin).status, 400);
  EXPECT_EQ(upload("..", "x", admin).status, 400);
  EXPECT_EQ(listed().size(), 1u);  // the shipped one only
  EXPECT_TRUE(changed.empty());
  std::size_t left = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(uploads)) ++left;
  EXPECT_EQ(left, 0u);
}

TEST_F(PromptsApi, SupervisorsListAndPlayOnlyAdminsChangeOthersNeither) {
  const std::string sue = api.login("sue", "sue-password");
  const std::string quinn = api.login("quinn", "quinn-password");
  const std::string wav = tone_file(dir, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1);
  EXPECT_EQ(api.call("GET", "/api/v1/prompts", "", sue).status, 200);
  EXPECT_EQ(api.call("GET", "/api/v1/prompts/goodbye/audio", "", sue).status, 200);
  EXPECT_EQ(upload("welcome", wav, sue).status, 403);
  EXPECT_EQ(api.call("DELETE", "/api/v1/prompts/goodbye", "", sue).status, 403);
  EXPECT_EQ(api.call("GET", "/api/v1/prompts", "", quinn).status, 403);
}

TEST_F(PromptsApi, TextIsReadByTheTtsInTheLanguageAsked) {
  auto spoken = api.call("POST", "/api/v1/prompts/speak", R"({"text":"您好，欢迎致电","language":"zh"})", admin);
  ASSERT_EQ(spoken.status, 200) << spoken.body;
  EXPECT_EQ(spoken.content_type, "audio/wav");
  EXPECT_EQ(spoken.body.substr(0, 4), "RIFF");
  EXPECT_GT(spoken.body.size(), 44u + 8000u);  // more than half a second of speech
  EXPECT_EQ(api.call("POST", "/api/v1/prompts/speak", R"({"text":"  "})", admin).status, 400);
  EXPECT_EQ(api.call("POST", "/api/v1/prompts/speak", R"({"text":"hi","colour":"red"})", admin).status, 400);
}

}  // namespace
}  // namespace unicc::api
