"""Train a linear-chain CRF tagger with PyTorch and sdp.

Sequences are sampled from a known hidden Markov model (tags -> words); the
tagger learns emission scores (a word-by-tag table), transitions, start and
end scores by maximising the log-likelihood, whose log Z and gradient
(the marginals) sdp computes. It prints the loss falling and the tagging
accuracy (Viterbi, also sdp) rising on held-out sequences.

    PYTHONPATH=build/python python3 examples/python/crf_tagger.py [--steps 200]
"""

import argparse

import torch

import sdp

try:
    from tqdm import tqdm
except ImportError:  # a plain progress line instead
    tqdm = None


def sample_hmm(generator, hmm, batch, length):
    """Tags and words [B, T] from the HMM, and lengths [B]."""
    start, transition, emission = hmm
    lengths = torch.randint(length // 2, length + 1, (batch,),
                            generator=generator)
    tags = torch.zeros(batch, length, dtype=torch.long)
    words = torch.zeros(batch, length, dtype=torch.long)
    tags[:, 0] = torch.multinomial(start.expand(batch, -1), 1,
                                   generator=generator)[:, 0]
    for t in range(length):
        if t:
            tags[:, t] = torch.multinomial(transition[tags[:, t - 1]], 1,
                                           generator=generator)[:, 0]
        words[:, t] = torch.multinomial(emission[tags[:, t]], 1,
                                        generator=generator)[:, 0]
    return words, tags, lengths


class CRFTagger(torch.nn.Module):
    def __init__(self, vocab, tags):
        super().__init__()
        self.emit = torch.nn.Embedding(vocab, tags)
        self.transitions = torch.nn.Parameter(torch.zeros(tags, tags))
        self.start = torch.nn.Parameter(torch.zeros(tags))
        self.end = torch.nn.Parameter(torch.zeros(tags))

    def potentials(self, words):
        return self.emit(words), self.transitions, self.start, self.end

    def gold_score(self, words, tags, lengths):
        emissions = self.emit(words)
        T = words.shape[1]
        mask = torch.arange(T)[None, :] < lengths[:, None]
        score = self.start[tags[:, 0]]
        score = score + (emissions.gather(2, tags[..., None])[..., 0]
                         * mask).sum(1)
        steps = self.transitions[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]
        score = score + steps.sum(1)
        last = tags.gather(1, (lengths - 1)[:, None])[:, 0]
        return score + self.end[last]

    def loss(self, words, tags, lengths):
        log_z = sdp.linear_chain(*self.potentials(words), lengths)
        return (log_z - self.gold_score(words, tags, lengths)).mean()

    @torch.no_grad()
    def decode(self, words, lengths):
        _, path = sdp.linear_chain(*self.potentials(words), lengths,
                                   semiring="max")
        return path


def accuracy(model, words, tags, lengths):
    path = model.decode(words, lengths).long()
    mask = torch.arange(words.shape[1])[None, :] < lengths[:, None]
    return ((path == tags) & mask).sum().item() / mask.sum().item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--length", type=int, default=20)
    parser.add_argument("--tags", type=int, default=5)
    parser.add_argument("--vocab", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    generator = torch.Generator().manual_seed(args.seed)
    C, V = args.tags, args.vocab
    # A sticky HMM whose tags each prefer a few words.
    transition = torch.full((C, C), 0.3 / (C - 1)) + torch.eye(C) * (0.7 - 0.3 / (C - 1))
    emission = torch.rand(C, V, generator=generator) ** 8
    emission = emission / emission.sum(1, keepdim=True)
    hmm = (torch.full((C,), 1.0 / C), transition, emission)
    held_out = sample_hmm(generator, hmm, 256, args.length)

    model = CRFTagger(V, C)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    steps = range(1, args.steps + 1)
    bar = tqdm(steps, desc="training", ncols=80) if tqdm else steps
    first_loss = None
    report_every = max(args.steps // 5, 1)
    for step in bar:
        words, tags, lengths = sample_hmm(generator, hmm, args.batch,
                                          args.length)
        loss = model.loss(words, tags, lengths)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        first_loss = first_loss if first_loss is not None else loss.item()
        if tqdm:
            bar.set_postfix(loss=f"{loss.item():.3f}")
        if step % report_every == 0 or step == 1:
            acc = accuracy(model, *held_out)
            line = (f"step {step:4d}  loss {loss.item():7.3f}  "
                    f"held-out tag accuracy {acc:6.1%}")
            (bar.write if tqdm else print)(line)
    final_acc = accuracy(model, *held_out)
    print(f"loss {first_loss:.3f} -> {loss.item():.3f}; "
          f"held-out tag accuracy {final_acc:.1%}")


if __name__ == "__main__":
    main()
