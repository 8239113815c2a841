#include "http/pending_response.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_client.hpp"

namespace sillypaste::http {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::get;
using testing::TestServer;

Response text(std::string body) {
  Response response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

// Handlers that return before their answer is ready, finished by other threads.
class PendingResponseTest : public ::testing::Test {
 protected:
  ~PendingResponseTest() override {
    release_held();
    for (auto& thread : finishers_) {  // before the server goes, as serve waits for its writes
      thread.join();
    }
  }

  Response handle(Request& request) {
    auto pending = std::make_shared<PendingResponse>();
    if (request.path == "/now") {  // finished before the server waits for it
      pending->complete([] { return text("made at once"); });
    } else if (request.path == "/later") {
      finish_later(pending, [] { return text("made later"); });
    } else if (request.path == "/throws") {
      finish_later(pending, []() -> Response { throw std::runtime_error("made nothing"); });
    } else if (request.path == "/held") {
      const std::lock_guard lock(mutex_);
      held_.push_back(pending);
    } else if (request.path == "/adjusted") {
      pending->adjust([](const MakeResponse& make) {
        Response made = make();
        made.body += " +inner";
        return made;
      });
      pending->adjust([](const MakeResponse& make) {
        Response made = make();
        made.body += " +outer";
        return made;
      });
      finish_later(pending, [] { return text("made"); });
    } else {
      return text("plain " + request.path);
    }
    return Response::later(pending);
  }

  void finish_later(const std::shared_ptr<PendingResponse>& pending, MakeResponse make) {
    const std::lock_guard lock(mutex_);
    finishers_.emplace_back([pending, make = std::move(make)] {
      std::this_thread::sleep_for(50ms);
      pending->complete(make);
    });
  }

  std::size_t held_count() {
    const std::lock_guard lock(mutex_);
    return held_.size();
  }

  void release_held() {
    const std::lock_guard lock(mutex_);
    for (const auto& pending : held_) {
      pending->complete([] { return text("made when released"); });
    }
    held_.clear();
  }

  std::mutex mutex_;
  std::vector<std::thread> finishers_;
  std::vector<std::shared_ptr<PendingResponse>> held_;
  TestServer server_{testing::test_options(), [this](Request& request) { return handle(request); }};
};

TEST_F(PendingResponseTest, an_answer_finished_by_another_thread_is_sent_when_it_is_made) {
  Client client(server_.port());
  const auto reply = client.request(get("/later"));
  EXPECT_EQ(reply.status, 200U);
  EXPECT_EQ(reply.body, "made later");
  EXPECT_EQ(reply.header("content-length"), std::to_string(reply.body.size()));
}

TEST_F(PendingResponseTest, an_answer_finished_before_the_handler_returned_is_sent) {
  Client client(server_.port());
  EXPECT_EQ(client.request(get("/now")).body, "made at once");
}

TEST_F(PendingResponseTest, an_answer_that_throws_is_a_500_and_the_connection_goes_on) {
  Client client(server_.port());
  const auto reply = client.request(get("/throws"));
  EXPECT_EQ(reply.status, 500U);
  EXPECT_EQ(reply.body, "refused 500 GET /throws");
  EXPECT_EQ(client.request(get("/next")).body, "plain /next");
}

TEST_F(PendingResponseTest, adjustments_wrap_the_answer_the_later_one_outermost) {
  Client client(server_.port());
  EXPECT_EQ(client.request(get("/adjusted")).body, "made +inner +outer");
}

TEST_F(PendingResponseTest, pending_answers_on_one_connection_keep_their_order) {
  Client client(server_.port());
  client.send(get("/later") + get("/now") + get("/plain"));  // pipelined
  EXPECT_EQ(client.read_reply().body, "made later");
  EXPECT_EQ(client.read_reply().body, "made at once");
  EXPECT_EQ(client.read_reply().body, "plain /plain");
}

TEST_F(PendingResponseTest, a_worker_is_free_while_its_answer_waits) {
  // Both workers take a request whose answer is held until a third request is answered:
  // that one is handled only if the first two left their workers free.
  Client first(server_.port());
  Client second(server_.port());
  Client third(server_.port());
  first.send(get("/held"));
  second.send(get("/held"));
  while (held_count() < 2) {
    std::this_thread::yield();
  }
  EXPECT_EQ(third.request(get("/free")).body, "plain /free");
  release_held();
  EXPECT_EQ(first.read_reply().body, "made when released");
  EXPECT_EQ(second.read_reply().body, "made when released");
}

}  // namespace
}  // namespace sillypaste::http
