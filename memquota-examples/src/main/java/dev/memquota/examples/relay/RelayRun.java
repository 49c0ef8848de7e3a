package dev.memquota.examples.relay;

import dev.memquota.Account;
import dev.memquota.MemoryQuotaTracker;
import dev.memquota.QuotaConfig;
import dev.memquota.examples.relay.RunResult.Kind;
import dev.memquota.examples.relay.RunResult.ReclaimEvent;
import dev.memquota.examples.relay.RunResult.Sample;
import dev.memquota.queue.CollapseReason;
import dev.memquota.queue.QueueCollapse;
import dev.memquota.queue.QueueCollapsedException;
import dev.memquota.queue.TrackedQueue;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One run of the relay under attack: a relay server on 127.0.0.1, its upstream, the honest clients
 * and the attackers, all inside this JVM, for a bounded time.
 *
 * <p><b>Why blocking sockets and a thread per connection.</b> The demo has at most a few dozen
 * connections at a time, for which plain {@code java.net} sockets are simple and fast enough, and
 * they keep the examples free of any dependency besides memquota (Netty would be the natural choice
 * for a real relay). A connection's writer thread blocks in {@link TrackedQueue#take()} and then in
 * the socket write; a reclaimed connection is closed by its queue's collapse listener, which ends
 * both.
 *
 * <p><b>The relay.</b> Each accepted connection reads a request (client number, bytes wanted), opens
 * its own account and a {@link TrackedQueue} on it, and forwards data from the upstream through
 * that queue. The upstream is one thread that fills every connection's queue at the configured
 * rate, in chunks, until the connection has had what it asked for. Honest clients read promptly,
 * so their queues stay nearly empty and their oldest data is young. Attackers ask for endless data
 * and never read: once the small socket buffers are full, their queues grow and their oldest data
 * only gets older.
 *
 * <p><b>With a quota</b> the upstream checks the tracker's total after each chunk; while it is over
 * the maximum, the upstream stops reading (waits, at most one second) until reclamation has brought
 * it back, like a relay that stops reading from its peers while it is out of buffer space. That is
 * the relay's policy: the tracker never refuses a claim. <b>Without a quota</b> (the {@linkplain
 * MemoryQuotaTracker#noop() no-op tracker}) nothing is reclaimed and the run stops when the queues
 * hold the safety cap.
 */
final class RelayRun {
  private static final int SEND_BUFFER = 8 * 1024;
  private static final int ATTACKER_RECEIVE_BUFFER = 4 * 1024;
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final int READ_TIMEOUT_MILLIS = 5_000;
  private static final long JOIN_MILLIS = 2_000;

  private final DemoOptions o;
  private final boolean protectedRun;
  private final String label;
  private final MemoryQuotaTracker tracker;
  private final Consumer<String> progress;
  private final long start = System.nanoTime();

  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile String stopReason;
  private volatile double stoppedAt;

  private final AtomicInteger attackersStarted = new AtomicInteger();
  private final AtomicInteger attackersReclaimed = new AtomicInteger();
  private final AtomicInteger honestStarted = new AtomicInteger();
  private final AtomicInteger honestCompleted = new AtomicInteger();
  private final AtomicInteger honestActive = new AtomicInteger();
  private final AtomicInteger honestReclaimed = new AtomicInteger();
  private final AtomicInteger honestBeforeOlderAttacker = new AtomicInteger();
  private final AtomicLong honestBytes = new AtomicLong();
  private final List<Long> reclaimMillis = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> overMaxMillis = Collections.synchronizedList(new ArrayList<>());
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final List<ReclaimEvent> reclaims = Collections.synchronizedList(new ArrayList<>());

  // Written by the upstream thread only.
  private volatile long buffered;
  private long peakTracked;
  private long participantsAtPeak;
  private long peakBuffered;

  /** The server side of one client connection. */
  private final class Connection {
    final int clientId;
    final Kind kind;
    final long requested;
    final long connectedAt = System.nanoTime();
    final Socket socket;
    final Account account; // held here: an account nobody references is closed by the engine
    final TrackedQueue<byte[]> queue;
    // Upstream thread only.
    long produced;
    double credit;

    Connection(int clientId, long requested, Socket socket) {
      this.clientId = clientId;
      this.kind = kindOf(clientId);
      this.requested = requested;
      this.socket = socket;
      this.account = tracker.newAccount();
      this.queue =
          TrackedQueue.<byte[]>builder(tracker.clock(), b -> b.length)
              .name("client-" + clientId)
              .build(account);
      queue.onCollapse(this::collapsed);
    }

    private void collapsed(QueueCollapse c) {
      if (c.reason() == CollapseReason.RECLAIMED) {
        reclaims.add(new ReclaimEvent(seconds(System.nanoTime()), kind, clientId));
        if (kind == Kind.ATTACKER) {
          attackersReclaimed.incrementAndGet();
          reclaimMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt));
        } else {
          honestReclaimed.incrementAndGet();
          if (olderAttackerConnected(c.oldestDropped().orElse(Long.MAX_VALUE))) {
            honestBeforeOlderAttacker.incrementAndGet();
          }
        }
      }
      closeQuietly(socket); // ends the writer's take() or write()
    }
  }

  private RelayRun(DemoOptions o, boolean protectedRun, Consumer<String> progress) {
    this.o = o;
    this.protectedRun = protectedRun;
    this.label = protectedRun ? "with memquota" : "without quota";
    this.progress = progress;
    this.tracker =
        protectedRun
            ? MemoryQuotaTracker.create(
                QuotaConfig.builder().maxBytes(o.maxBytes()).lowWaterBytes(o.lowWaterBytes()).build())
            : MemoryQuotaTracker.noop();
  }

  /**
   * Runs the relay and its clients for the configured time (less if the safety cap is reached).
   *
   * @param o the settings
   * @param protectedRun with a quota ({@code true}) or without
   * @param progress receives one line a second
   * @return what was measured
   * @throws IOException if the server socket cannot be opened
   * @throws InterruptedException if interrupted
   */
  static RunResult run(DemoOptions o, boolean protectedRun, Consumer<String> progress)
      throws IOException, InterruptedException {
    return new RelayRun(o, protectedRun, progress).run();
  }

  private RunResult run() throws IOException, InterruptedException {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server.setSoTimeout(100);
      start("acceptor", () -> accept(server));
      start("upstream", this::upstream);
      start("sampler", this::sample);
      start("clients", () -> launchClients((InetSocketAddress) server.getLocalSocketAddress()));
      if (!stop.await(o.runTime().toNanos(), TimeUnit.NANOSECONDS)) {
        halt("end of run");
      }
      for (Connection c : live) {
        c.queue.close(); // wakes its writer
        closeQuietly(c.socket);
      }
      sockets.forEach(RelayRun::closeQuietly);
    } finally {
      halt("end of run");
      joinAll();
      tracker.close();
    }
    return result();
  }

  private synchronized void halt(String reason) {
    if (!stopping) {
      stopReason = reason;
      stoppedAt = seconds(System.nanoTime());
      stopping = true;
      stop.countDown();
    }
  }

  // ---------------------------------------------------------------- relay

  private void accept(ServerSocket server) {
    while (!stopping) {
      try {
        Socket s = server.accept();
        s.setSendBufferSize(SEND_BUFFER);
        s.setTcpNoDelay(true);
        sockets.add(s);
        start("writer", () -> serve(s));
      } catch (SocketTimeoutException tick) {
        // look at the stop flag again
      } catch (IOException e) {
        return; // server closed
      }
    }
  }

  /** A connection's writer: reads the request, then sends what the upstream queues for it. */
  private void serve(Socket s) {
    Connection c = null;
    try {
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      DataInputStream in = new DataInputStream(s.getInputStream());
      int clientId = in.readInt();
      long requested = in.readLong();
      c = new Connection(clientId, requested, s);
      live.add(c);
      OutputStream out = s.getOutputStream();
      long written = 0;
      while (written < requested && !stopping) {
        byte[] chunk = c.queue.take();
        out.write(chunk);
        written += chunk.length;
      }
    } catch (QueueCollapsedException | IOException | InterruptedException e) {
      // reclaimed, closed at the end of the run, or the client went away
    } finally {
      if (c != null) {
        live.remove(c);
        c.queue.close();
        c.account.close();
      }
      closeQuietly(s);
    }
  }

  /** The upstream: feeds every connection's queue at the configured rate. */
  private void upstream() {
    long last = System.nanoTime();
    while (!stopping) {
      LockSupport.parkNanos(TICK_NANOS);
      long now = System.nanoTime();
      double earned = o.bytesPerSecond() * ((now - last) / 1e9);
      last = now;
      long sum = 0;
      for (Connection c : live) {
        feed(c, earned);
        sum += c.queue.queuedBytes();
      }
      buffered = sum;
      peakBuffered = Math.max(peakBuffered, sum);
      if (!protectedRun && sum >= o.capBytes()) {
        halt("safety cap reached");
      }
    }
  }

  private void feed(Connection c, double earned) {
    c.credit = Math.min(c.credit + earned, 4.0 * o.chunkBytes()); // no bursts after a pause
    while (c.produced < c.requested && !stopping) {
      int n = (int) Math.min(o.chunkBytes(), c.requested - c.produced);
      if (c.credit < n) {
        return;
      }
      try {
        c.queue.put(new byte[n]);
      } catch (QueueCollapsedException reclaimed) {
        return;
      }
      c.produced += n;
      c.credit -= n;
      if (protectedRun) {
        afterClaim();
      }
    }
  }

  /** Records the peak and, above the maximum, stops reading until reclamation has run. */
  private void afterClaim() {
    long used = tracker.usedBytes();
    if (used > peakTracked) {
      peakTracked = used;
      participantsAtPeak = tracker.stats().participants();
    }
    if (used > o.maxBytes()) {
      long t0 = System.nanoTime();
      while (tracker.usedBytes() > o.maxBytes()
          && System.nanoTime() - t0 < MAX_PAUSE_NANOS
          && !stopping) {
        LockSupport.parkNanos(50_000);
      }
      overMaxMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
  }

  private boolean olderAttackerConnected(long honestOldest) {
    for (Connection other : live) {
      if (other.kind == Kind.ATTACKER && !other.queue.isCollapsed()) {
        OptionalLong age = other.queue.oldestData();
        if (age.isPresent() && age.getAsLong() < honestOldest) {
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- clients

  /** Client numbers: attackers first, then honest sessions. */
  private Kind kindOf(int clientId) {
    return clientId < o.attackers() ? Kind.ATTACKER : Kind.HONEST;
  }

  /** Starts attackers evenly over the first half, honest sessions over the first three quarters. */
  private void launchClients(InetSocketAddress relay) {
    long runNanos = o.runTime().toNanos();
    List<long[]> plan = new ArrayList<>(); // {start offset, client id}
    for (int a = 0; a < o.attackers(); a++) {
      plan.add(new long[] {(long) ((a + 0.5) / o.attackers() * runNanos / 2), a});
    }
    for (int h = 0; h < o.honestClients(); h++) {
      plan.add(new long[] {(long) ((h + 0.5) / o.honestClients() * runNanos * 3 / 4), o.attackers() + h});
    }
    plan.sort((x, y) -> Long.compare(x[0], y[0]));
    for (long[] step : plan) {
      long wait = start + step[0] - System.nanoTime();
      if (wait > 0) {
        try {
          if (stop.await(wait, TimeUnit.NANOSECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
      }
      if (stopping) {
        return;
      }
      int id = (int) step[1];
      if (kindOf(id) == Kind.ATTACKER) {
        attack(relay, id);
      } else {
        honestStarted.incrementAndGet();
        start("honest-" + id, () -> download(relay, id));
      }
    }
  }

  /** An attacker: asks for endless data with a tiny receive buffer, and never reads. */
  private void attack(InetSocketAddress relay, int id) {
    Socket s = new Socket();
    sockets.add(s);
    try {
      s.setReceiveBufferSize(ATTACKER_RECEIVE_BUFFER); // before connecting, so that it applies
      s.connect(relay, CONNECT_TIMEOUT_MILLIS);
      request(s, id, Long.MAX_VALUE);
      attackersStarted.incrementAndGet();
    } catch (IOException e) {
      closeQuietly(s);
    }
  }

  /** An honest session: asks for its bytes, reads them promptly, and closes. */
  private void download(InetSocketAddress relay, int id) {
    honestActive.incrementAndGet();
    try (Socket s = new Socket()) {
      sockets.add(s);
      s.connect(relay, CONNECT_TIMEOUT_MILLIS);
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      request(s, id, o.honestBytes());
      InputStream in = new BufferedInputStream(s.getInputStream());
      byte[] buffer = new byte[64 * 1024];
      long got = 0;
      while (got < o.honestBytes()) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        got += n;
        honestBytes.addAndGet(n);
      }
      if (got == o.honestBytes()) {
        honestCompleted.incrementAndGet();
      }
      sockets.remove(s);
    } catch (IOException e) {
      // reclaimed, or cut off at the end of the run: not completed
    } finally {
      honestActive.decrementAndGet();
    }
  }

  private static void request(Socket s, int id, long bytes) throws IOException {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeInt(id);
    out.writeLong(bytes);
    out.flush();
  }

  // ---------------------------------------------------------------- measuring

  private void sample() {
    long next = start;
    int printed = 0;
    while (!stopping) {
      long now = System.nanoTime();
      long tracked = protectedRun ? tracker.usedBytes() : buffered;
      samples.add(new Sample(seconds(now), tracked, buffered));
      if (seconds(now) >= printed + 1) {
        printed = (int) seconds(now);
        progress.accept(progressLine(printed, tracked));
      }
      next += SAMPLE_NANOS;
      LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
    }
  }

  private String progressLine(int second, long tracked) {
    return String.format(
        "[%-13s] t=%2ds  %s %9s (max %s, low %s)  attackers %2d connected %2d reclaimed"
            + "  honest %3d done %2d active",
        label,
        second,
        protectedRun ? "tracked " : "buffered",
        Report.mib(tracked),
        Report.mib(o.maxBytes()),
        Report.mib(o.lowWaterBytes()),
        attackersStarted.get(),
        attackersReclaimed.get(),
        honestCompleted.get(),
        honestActive.get());
  }

  private RunResult result() {
    long bound =
        protectedRun ? o.maxBytes() + participantsAtPeak * 16 * 1024 + o.chunkBytes() : 0;
    return new RunResult(
        label,
        protectedRun,
        o.maxBytes(),
        o.lowWaterBytes(),
        o.capBytes(),
        protectedRun ? peakTracked : peakBuffered,
        bound,
        participantsAtPeak,
        peakBuffered,
        attackersStarted.get(),
        attackersReclaimed.get(),
        List.copyOf(reclaimMillis),
        List.copyOf(overMaxMillis),
        honestStarted.get(),
        honestCompleted.get(),
        honestReclaimed.get(),
        honestBytes.get(),
        honestBeforeOlderAttacker.get(),
        stoppedAt,
        stopReason,
        List.copyOf(samples),
        List.copyOf(reclaims));
  }

  private double seconds(long nanoTime) {
    return (nanoTime - start) / 1e9;
  }

  private void start(String name, Runnable body) {
    Thread t = new Thread(body, "relay-demo-" + name);
    t.setDaemon(true); // never keeps the JVM (or Maven) alive
    threads.add(t);
    t.start();
  }

  private void joinAll() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS * 5);
    List<Thread> all;
    synchronized (threads) {
      all = new ArrayList<>(threads);
    }
    for (Thread t : all) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left > 0) {
        t.join(Math.min(left, JOIN_MILLIS));
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
