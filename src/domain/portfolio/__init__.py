"""Portfolio construction: Black-Litterman, constrained optimisation, sizing in contracts, trades, track record.

The chain, all in the DAILY return space of :mod:`domain.portfolio.exposure` (weights are fractions
of NAV of signed BRL notional; a long DI1 is long the rate):

1. :func:`~domain.portfolio.exposure.return_scales` and :func:`~domain.portfolio.exposure.generic_returns`
   turn factor changes into generic returns, :func:`~domain.portfolio.covariance.covariance_matrix`
   estimates :math:`\\Sigma`;
2. :func:`~domain.portfolio.black_litterman.views_from_signals` and
   :func:`~domain.portfolio.black_litterman.black_litterman` give the posterior mean and covariance;
3. :func:`~domain.portfolio.optimiser.optimise` gives weights under the limits;
4. :func:`~domain.portfolio.sizing.size_book` gives whole contracts and sensitivities;
5. :func:`~domain.portfolio.trades.trade_list` gives the orders against the current book;
6. :func:`~domain.portfolio.marking.mark_book` marks the held book from settlements,
   :func:`~domain.portfolio.costs.trade_cost` prices the trades,
   :func:`~domain.portfolio.track_record.close_session` carries NAV, peak, drawdown and leverage, and
   :mod:`~domain.portfolio.attribution` splits the P&L.
"""
