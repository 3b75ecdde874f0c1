/**
 * Messages of the bad-debt provisions (`provisions.*`), one tree per language with the same keys
 * (the i18n unit test checks).
 */
import type { Widen } from "~/i18n/widen";

export const provisionsEn = {
  ladder: {
    badBands: "Band limits must be whole numbers of days, each larger than the one before.",
    rateCount: "Give one rate more than there are band limits: the last band has no upper age.",
    badRate: "Each rate must be between 0 % and 100 %.",
    balanceCount: "Give one balance for each band.",
  },
  matrix: {
    balanceCount: "Give one balance for each band.",
    badAdjustment: "The forward-looking adjustment must be above −100 %.",
  },
};

export const provisionsZhCN: Widen<typeof provisionsEn> = {
  ladder: {
    badBands: "账龄段上限须为整数天，且逐段递增。",
    rateCount: "计提比例须比账龄段上限多一个：最后一段没有上限。",
    badRate: "每个计提比例须在 0% 到 100% 之间。",
    balanceCount: "请为每个账龄段给出一个余额。",
  },
  matrix: {
    balanceCount: "请为每个账龄段给出一个余额。",
    badAdjustment: "前瞻性调整须大于 −100%。",
  },
};
