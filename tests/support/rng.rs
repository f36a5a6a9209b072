//! xorshift64*: a deterministic PRNG with no dependencies, for the generated inputs of the
//! browser tests (`#[path = "support/rng.rs"] mod rng;`).

pub struct Rng(pub u64);

#[allow(dead_code)] // each test file uses what it needs
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}
