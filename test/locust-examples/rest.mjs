// Port of locustio/locust examples/rest.py: FastHttpUser.rest(), a JSON request helper that
// parses the response into `resp.js`, defaults Content-Type and Accept to application/json,
// catches the response (catch_response=True) and turns what the with-block raises into the
// request's failure: an AssertionError's message ("Assertion failed" when it has none; a message
// ending in "," gets the response text appended), any other exception with its class, message and
// call stack. A non-JSON body fails the request by itself. RestUserThatLooksAtErrors shows a base
// class whose rest() adds a header and fails every response whose JSON carries an "error".
//
// Changed, and why:
// - Python's with-block becomes a callback that receives `resp`:
//   `await this.rest('POST', '/post', { json: {…} }, (resp) => { … })`; what it throws is handled
//   as Locust handles what the block raises (brood's rest(), src/http/rest-call.ts).
// - Python's `assert x, "msg"` is node:assert; an assertion without a message of its own (Node
//   then generates one) counts as Python's bare assert: "Assertion failed".
// - `1 / 0` does not throw in JavaScript (it is Infinity): the programming mistake is reading a
//   property of undefined instead (a TypeError).
// - postman-echo.com and example.com are public hosts: the test serves a stand-in for postman-echo
//   on 127.0.0.1 ($LOCUST_EXAMPLE_HOST, or -H), which answers GET /get with the JSON body it got as
//   `args` (so the example's "should work" holds), POST /post with it as `data`, and / with HTML.
//   "http://example.com/" (a 404 on another host) is $REST_OTHER_HOST, a second local server that
//   answers 404 to everything; "http://example.com:42/" (connection closed) is $REST_CLOSED_URL, a
//   local port that closes every connection it accepts.
// - wait_time = constant(180) stays ("be nice, don't run this at scale"); the test runs each user's
//   task once with -i 1. run_single_user (the __main__ block) has no brood equivalent: run it with
//   `run-load-tests -f rest.mjs MyUser -u 1 -i 1`.
// - The example passes an empty method in one call (`self.rest("", "/post", …)`), most likely a slip
//   for "POST"; it is kept as written (brood refuses it before sending; the block still runs).
import assert from 'node:assert';
import { FastHttpUser, constant } from 'brood';

export class MyUser extends FastHttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  waitTime = constant(180); // be nice to the server, and dont run this at scale.
  static tasks = ['t'];

  async t() {
    // should work
    await this.rest('GET', '/get', { json: { foo: 1 } }, (resp) => {
      if (resp.js.args.foo !== 1) resp.failure(`Unexpected value of foo in response ${resp.text()}`);
    });

    // should work
    await this.rest('POST', '/post', { json: { foo: 1 } }, (resp) => {
      if (resp.js.data.foo !== 1) resp.failure(`Unexpected value of foo in response ${resp.text()}`);
      // assertions are a nice short way to express your expectations about the response. The
      // AssertionError thrown will be caught and fail the request, including the message and the
      // payload in the failure content.
      assert.equal(resp.js.data.foo, 1, 'Unexpected value of foo in response');
    });

    // assertions are a nice short way to validate the response. The AssertionError they raise
    // will be caught by rest() and mark the request as failed

    await this.rest('POST', '/post', { json: { foo: 1 } }, (resp) => {
      // mark the request as failed with the message "Assertion failed"
      assert.equal(resp.js.data.foo, 2);
    });

    await this.rest('POST', '/post', { json: { foo: 1 } }, (resp) => {
      // custom failure message
      assert.equal(resp.js.data.foo, 2, 'my custom error message');
    });

    await this.rest('POST', '/post', { json: { foo: 1 } }, (resp) => {
      // use a trailing comma to append the response text to the custom message
      assert.equal(resp.js.data.foo, 2, 'my custom error message with response text,');
    });

    await this.rest('', '/post', { json: { foo: 1 } }, (resp) => {
      // assign and assert in one line
      let foo;
      assert((foo = resp.js.foo));
      console.log(`the number ${foo} is awesome`);
    });

    // rest() catches most exceptions, so any programming mistakes you make automatically marks the
    // request as a failure and stores the callstack in the failure message
    await this.rest('POST', '/post', { json: { foo: 1 } }, (resp) => {
      void resp.js.data.nothing.here; // (Locust's `1 / 0`)
    });

    // response isn't even json, but RestUser will already have been marked it as a failure, so we dont have to do it again
    await this.rest('GET', '/', {}, () => {});

    await this.rest('GET', '/', {}, (resp) => {
      // If resp.js is null (which it will be when there is a connection failure, a non-json
      // responses etc), reading from resp.js will throw a TypeError (instead of an AssertionError),
      // so lets avoid that:
      if (resp.js) assert.equal(resp.js.foo, 2);
      // or, as a mildly confusing oneliner:
      assert(!resp.js || resp.js.foo === 2);
    });

    // 404
    await this.rest('GET', `${process.env.REST_OTHER_HOST ?? this.host}/`, {}, () => {});

    // connection closed
    await this.rest('POST', process.env.REST_CLOSED_URL ?? 'http://127.0.0.1:42/', { json: { foo: 1 } }, () => {});
  }
}

// An example of how you might write a common base class for an API that always requires certain
// headers, or where you always want to check the response in a certain way
class RestUserThatLooksAtErrors extends FastHttpUser {
  static abstract = true;

  async rest(method, url, options = {}, block = () => {}) {
    const extraHeaders = { my_header: 'my_value' };
    return super.rest(method, url, { ...options, headers: extraHeaders }, async (resp) => {
      if (resp.js && 'error' in resp.js && resp.js.error !== null) resp.failure(resp.js.error);
      await block(resp);
    });
  }
}

export class MyOtherRestUser extends RestUserThatLooksAtErrors {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  waitTime = constant(180); // be nice to the server, and dont run this at scale.
  static tasks = ['t'];

  async t() {
    await this.rest('GET', '/', {}, () => {});
  }
}
