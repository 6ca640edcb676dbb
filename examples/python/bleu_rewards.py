"""Per-sentence BLEU rewards for sampled token ids in a REINFORCE loop.

A toy policy (independent logits per position over the vocabulary) samples
a batch of token-id sequences; sdp.bleu scores each one against its
reference on the CPU tensors directly (no detokenisation, no copies); the
policy gradient (reward - baseline) * log p(sample) pushes the policy
towards the references, and the mean reward rises.

    PYTHONPATH=build/python python3 examples/python/bleu_rewards.py [--steps 300]
"""

import argparse

import torch

import sdp


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--length", type=int, default=16)
    parser.add_argument("--vocab", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)

    # The references: noisy copies (10% of tokens replaced) of one hidden
    # target sentence, as several human translations of one source would
    # be. Pad id 0 is never a token.
    target = torch.randint(1, args.vocab, (args.length,))
    noise = torch.rand(args.batch, args.length) < 0.1
    references = torch.where(
        noise, torch.randint(1, args.vocab, (args.batch, args.length)),
        target.expand(args.batch, -1))
    logits = torch.zeros(args.length, args.vocab, requires_grad=True)
    optimizer = torch.optim.Adam([logits], lr=0.1)
    baseline = 0.0
    report_every = max(args.steps // 6, 1)
    first = None
    for step in range(1, args.steps + 1):
        probs = torch.softmax(logits, -1)
        samples = torch.multinomial(probs.repeat(args.batch, 1), 1).view(
            args.batch, args.length)
        samples = samples.clamp(min=1)  # keep id 0 as the pad
        rewards = sdp.bleu(samples, references)  # [B] float64, torch
        log_p = torch.log_softmax(logits, -1).gather(
            1, samples.t()).t().sum(1)
        advantage = (rewards - baseline).float()
        loss = -(advantage * log_p).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        baseline = 0.9 * baseline + 0.1 * rewards.mean().item()
        first = rewards.mean().item() if first is None else first
        if step % report_every == 0 or step == 1:
            print(f"step {step:4d}  mean BLEU reward {rewards.mean():.4f}  "
                  f"best {rewards.max():.4f}")
    print(f"mean reward {first:.4f} -> {rewards.mean().item():.4f}")


if __name__ == "__main__":
    main()
